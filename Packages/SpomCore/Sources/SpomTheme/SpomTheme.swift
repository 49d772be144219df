// SpomTheme
