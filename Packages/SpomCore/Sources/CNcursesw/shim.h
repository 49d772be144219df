// Thin C shim over ncursesw. SwiftPM drops the pkg-config defines, so the wide-character API is
// switched on here; macros and globals that Swift 6 cannot import are wrapped as functions.
#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <string.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <sys/ioctl.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>

static inline WINDOW *cnc_stdscr(void) { return stdscr; }
static inline int cnc_colors(void) { return COLORS; }
static inline int cnc_color_pairs(void) { return COLOR_PAIRS; }
static inline int cnc_lines(void) { return LINES; }
static inline int cnc_cols(void) { return COLS; }
static inline int cnc_a_bold(void) { return (int)A_BOLD; }
static inline int cnc_a_reverse(void) { return (int)A_REVERSE; }
static inline int cnc_a_underline(void) { return (int)A_UNDERLINE; }
static inline int cnc_a_dim(void) { return (int)A_DIM; }
static inline int cnc_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int cnc_key_resize(void) { return KEY_RESIZE; }
static inline int cnc_key_up(void) { return KEY_UP; }
static inline int cnc_key_down(void) { return KEY_DOWN; }
static inline int cnc_key_left(void) { return KEY_LEFT; }
static inline int cnc_key_right(void) { return KEY_RIGHT; }
static inline int cnc_key_ppage(void) { return KEY_PPAGE; }
static inline int cnc_key_npage(void) { return KEY_NPAGE; }
static inline int cnc_key_home(void) { return KEY_HOME; }
static inline int cnc_key_end(void) { return KEY_END; }
static inline int cnc_key_enter(void) { return KEY_ENTER; }
static inline int cnc_key_f1(void) { return KEY_F(1); }
static inline int cnc_err(void) { return ERR; }
static inline void cnc_setlocale_all(void) { setlocale(LC_ALL, ""); }

/* Added for SpomTUI's backend. */
/* setlocale(LC_ALL, "") and, when that does not give UTF-8 (LANG unset, "C"), switch the
   character type to C.UTF-8 so wide characters and box drawing work. Returns 1 when UTF-8. */
static inline int cnc_setlocale_utf8(void) {
    setlocale(LC_ALL, "");
    const char *codeset = nl_langinfo(CODESET);
    if (codeset && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0)) return 1;
    if (setlocale(LC_CTYPE, "C.UTF-8") || setlocale(LC_CTYPE, "en_US.UTF-8")) return 1;
    return 0;
}
static inline int cnc_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cnc_ok(void) { return OK; }
static inline unsigned int cnc_a_normal(void) { return (unsigned int)A_NORMAL; }
/* wget_wch with the result split into a status and the character/key code. */
static inline int cnc_get_wch(WINDOW *w, unsigned int *out) {
    wint_t c = 0;
    int r = wget_wch(w, &c);
    *out = (unsigned int)c;
    return r;
}
/* Sets attributes and an (extended) colour pair; pairs above SHRT_MAX go through opts. */
static inline int cnc_set_attr_pair(WINDOW *w, unsigned int attrs, int pair) {
    int p = pair;
    return wattr_set(w, (attr_t)attrs, (NCURSES_PAIRS_T)(pair <= 32767 ? pair : 0), &p);
}
static inline int cnc_ext_colors_supported(void) {
#if NCURSES_EXT_COLORS
    return 1;
#else
    return 0;
#endif
}


/* Pseudo-terminals (declared here because the Glibc module hides them behind _XOPEN_SOURCE). */
extern int posix_openpt(int);
extern int grantpt(int);
extern int unlockpt(int);
extern char *ptsname(int);
/* Opens a pseudo-terminal pair sized rows x cols. Returns 0, or errno. */
static inline int cnc_open_pty(int *master, int *slave, int rows, int cols) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0) return errno;
    if (grantpt(m) != 0 || unlockpt(m) != 0) { int e = errno; close(m); return e; }
    const char *name = ptsname(m);
    if (!name) { int e = errno; close(m); return e; }
    int s = open(name, O_RDWR | O_NOCTTY);
    if (s < 0) { int e = errno; close(m); return e; }
    struct winsize size = { (unsigned short)rows, (unsigned short)cols, 0, 0 };
    ioctl(s, TIOCSWINSZ, &size);
    *master = m;
    *slave = s;
    return 0;
}
/* The window size of a terminal. Returns 0, or -1 when it cannot be read. */
static inline int cnc_get_winsize(int fd, int *rows, int *cols) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0) return -1;
    *rows = size.ws_row;
    *cols = size.ws_col;
    return 0;
}
/* Sets the window size of a terminal (a pseudo-terminal in tests). */
static inline int cnc_set_winsize(int fd, int rows, int cols) {
    struct winsize size = { (unsigned short)rows, (unsigned short)cols, 0, 0 };
    return ioctl(fd, TIOCSWINSZ, &size);
}
#endif
