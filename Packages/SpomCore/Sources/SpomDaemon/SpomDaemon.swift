// SpomDaemon
