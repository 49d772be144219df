// SpomLog
