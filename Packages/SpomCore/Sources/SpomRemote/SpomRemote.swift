// SpomRemote
