// MidnightDevnode
