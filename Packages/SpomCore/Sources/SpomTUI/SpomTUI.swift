// SpomTUI
