// MidnightChain
