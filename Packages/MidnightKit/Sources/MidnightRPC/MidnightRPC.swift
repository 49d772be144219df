// MidnightRPC
