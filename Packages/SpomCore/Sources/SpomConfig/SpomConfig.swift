// SpomConfig
