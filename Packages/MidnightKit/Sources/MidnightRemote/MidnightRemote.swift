// MidnightRemote
