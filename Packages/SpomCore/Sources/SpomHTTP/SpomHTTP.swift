// SpomHTTP
