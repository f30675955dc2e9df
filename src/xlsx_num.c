/* xlsx_num.c - cell references ("C7") and stored numbers as the text Excel
 * shows: decimal text rounded to 15 significant digits (never through a
 * binary double), percents, dates of either date system. Pure functions. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "xlsx.h"
#include "xlsx_impl.h"

const char *xlsx_cell_name(int col, int row, char *buf)
{
    char letters[4];
    int n = 0;
    for (int c = col + 1; c > 0 && n < 3; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    int k = 0;
    while (n)
        buf[k++] = letters[--n];
    snprintf(buf + k, 12, "%d", row);
    return buf;
}

/* Parse a cell reference "C7" (the row part optional): 0-based column and row. */
bool xlsx_parse_ref(const char *s, int *col, int *row)
{
    int c = 0, r = 0, nl = 0, nd = 0;
    while (*s == '$')
        s++;
    for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++, nl++) {
        if (nl == 3)
            return false;
        c = c * 26 + ((*s | 0x20) - 'a' + 1);
    }
    while (*s == '$')
        s++;
    for (; *s >= '0' && *s <= '9'; s++, nd++) {
        if (nd == 7)
            return false;
        r = r * 10 + (*s - '0');
    }
    if (*s || !nl || c > MAX_COLS || (nd && (r < 1 || r > MAX_ROWS)))
        return false;
    *col = c - 1;
    *row = nd ? r : 0;
    return true;
}

/* ---- numbers: the stored decimal text as Excel shows it ---- */

/* Write the number s[0..n) (`-1.5`, `5.5511151231257827E-17`) rounded half
 * away from zero to 15 significant digits and then to 15 decimal places,
 * with the point moved `shift` places right (a percent), as plain decimal
 * text without trailing zeros. Returns its length, or 0 when s is not a
 * number or is too large to write out. */
size_t xlsx_num_text(const char *s, size_t n, int shift, char *out)
{
    char d[32];
    int nd = 0, e = 0; /* value = 0.d[0..nd) x 10^e */
    bool neg = false, any = false, point = false;
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    for (; i < n; i++) {
        char c = s[i];
        if (c == '.' && !point) {
            point = true;
            continue;
        }
        if (c < '0' || c > '9')
            break;
        any = true;
        if (c == '0' && nd == 0) {
            if (point)
                e--;
            continue;
        }
        if (nd < 31)
            d[nd++] = c;
        if (!point)
            e++;
    }
    if (!any)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            eneg = s[i++] == '-';
        long x = 0;
        size_t start = i;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            if (x < 100000)
                x = x * 10 + (s[i] - '0');
        if (i == start)
            return 0;
        if (nd && x > 400 && !eneg)
            return 0;
        if (eneg && x > 400)
            nd = 0;
        else
            e += eneg ? -(int)x : (int)x;
    }
    if (i != n)
        return 0;
    /* round to 15 significant digits, then to 15 places; a carry past the
       first digit makes it 1 and moves the exponent */
    for (int pass = 0; pass < 2 && nd; pass++) {
        int keep = pass == 0 ? 15 : 15 + e;
        if (nd <= keep)
            continue;
        if (keep < 0) {
            nd = 0;
            break;
        }
        bool up = d[keep] >= '5';
        nd = keep;
        if (up) {
            int k = keep - 1;
            while (k >= 0 && d[k] == '9')
                k--;
            if (k < 0) {
                d[0] = '1';
                nd = 1;
                e++;
            } else {
                d[k]++;
                nd = k + 1;
            }
        }
    }
    while (nd && d[nd - 1] == '0')
        nd--;
    if (!nd) {
        out[0] = '0';
        return 1;
    }
    e += shift;
    if (e > 400)
        return 0; /* 1 and 500 zeros: too long to write out (and no fact holds it) */
    size_t k = 0;
    if (neg)
        out[k++] = '-';
    if (e <= 0) {
        out[k++] = '0';
        out[k++] = '.';
        for (int z = 0; z < -e; z++)
            out[k++] = '0';
        memcpy(out + k, d, (size_t)nd), k += (size_t)nd;
    } else if (e >= nd) {
        memcpy(out + k, d, (size_t)nd), k += (size_t)nd;
        for (int z = nd; z < e; z++)
            out[k++] = '0';
    } else {
        memcpy(out + k, d, (size_t)e), k += (size_t)e;
        out[k++] = '.';
        memcpy(out + k, d + e, (size_t)(nd - e)), k += (size_t)(nd - e);
    }
    return k;
}

/* Days since 1970-01-01 to a civil date (the proleptic Gregorian calendar). */
static void civil(long z, long *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = era * 400 + yoe + (*m <= 2);
}

/* The date (and time, when it has one) of serial number text t (as num_text
 * writes it). Returns the length written to out, or 0 when the serial is not
 * a date Excel can show (negative or after 9999-12-31). */
size_t xlsx_date_text(const char *t, size_t n, bool date1904, char *out)
{
    if (n && t[0] == '-')
        return 0;
    long days = 0;
    size_t i = 0;
    for (; i < n && t[i] != '.'; i++) {
        days = days * 10 + (t[i] - '0');
        if (days > 2958465)
            return 0;
    }
    unsigned __int128 frac = 0, scale = 1;
    for (size_t k = i + 1; k < n; k++)
        frac = frac * 10 + (unsigned)(t[k] - '0'), scale *= 10;
    long secs = (long)((frac * 86400 + scale / 2) / scale);
    if (secs == 86400)
        days++, secs = 0;
    long z; /* days since 1970-01-01 */
    if (date1904)
        z = days - 24107;
    else if (days >= 61)
        z = days - 25569;
    else if (days == 60)
        return (size_t)sprintf(out, "1900-02-29"); /* Excel's own day */
    else
        z = days - 25568;
    long y;
    int m, d;
    civil(z, &y, &m, &d);
    size_t k = (size_t)sprintf(out, "%04ld-%02d-%02d", y, m, d);
    if (secs)
        k += (size_t)sprintf(out + k, " %02ld:%02ld:%02ld", secs / 3600, secs / 60 % 60, secs % 60);
    return k;
}
