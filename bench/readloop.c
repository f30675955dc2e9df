/* readloop.c - the floor for reading a folder of fact files: readdir, open
 * and read every *.facts file of DIR, nothing else (no parsing, no sorting),
 * on one thread. bench/run.sh times it against `rubric eval DIR`.
 *
 * usage: readloop DIR   prints "FILES files, BYTES bytes" */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: readloop DIR\n", stderr);
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (!d) {
        perror(argv[1]);
        return 1;
    }
    static char buf[1 << 16];
    long files = 0, bytes = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n < 7 || strcmp(e->d_name + n - 6, ".facts") != 0)
            continue;
        int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            perror(e->d_name);
            return 1;
        }
        ssize_t k;
        while ((k = read(fd, buf, sizeof buf)) > 0)
            bytes += k;
        close(fd);
        files++;
    }
    closedir(d);
    printf("%ld files, %ld bytes\n", files, bytes);
    return 0;
}
