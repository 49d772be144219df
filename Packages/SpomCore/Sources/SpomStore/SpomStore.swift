// SpomStore
