"""Handling what a student controls: files they hand in or leave behind, text they write.

The grader reads two kinds of file that a student can shape: the submitted
files (before any run) and what a run leaves in its scratch folder (after it).
Either may be a symbolic link to a host file, a FIFO that blocks a reader
forever, a device, or far larger than expected. :func:`read_regular` is the one
way the grader opens such a file: relative to a folder descriptor, without
following a link, without blocking, only if it is a regular file, and never
reading more than a cap.

Text that comes from a submission (an exception message, a student id it
claims, a file name) is data: :func:`quote` shows it as a quotation with
control characters escaped, and :func:`printable` makes a name safe to print
on a terminal (an ANSI escape in a file name must not clear the teacher's
screen).
"""

import os
import stat
import unicodedata

_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0)


class NotRegular(OSError):
    """A path that is not a plain file (a link, FIFO, device, folder or socket)."""

    def __init__(self, name, kind):
        super().__init__(f"{name} is {kind}, not a regular file")
        self.name, self.kind = name, kind


class TooLarge(OSError):
    """A regular file larger than the cap it was read with."""

    def __init__(self, name, size, limit):
        super().__init__(f"{name} is {size} bytes; the limit is {limit}")
        self.name, self.size, self.limit = name, size, limit


def kind_of(mode):
    """What a file is, in words, from its ``st_mode`` (an lstat, so links show as links)."""
    for test, words in ((stat.S_ISREG, "a regular file"), (stat.S_ISLNK, "a symbolic link"),
                        (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                        (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                        (stat.S_ISBLK, "a block device")):
        if test(mode):
            return words
    return "not a regular file"


def open_folder(path):
    """A descriptor of the folder ``path`` (not followed if it is itself a link)."""
    return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)


def open_folder_at(name, dir_fd):
    """A descriptor of the folder ``name`` inside ``dir_fd`` (refused if ``name`` is a link)."""
    return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)


def read_regular(name, limit, dir_fd=None, *, single_link=False):
    """The bytes of the regular file ``name`` (inside ``dir_fd`` if given), at most ``limit``.

    Raises ``NotRegular`` for a symbolic link, FIFO, device, socket or folder (none
    is followed or opened for reading in a way that could block), ``TooLarge``
    when the file holds more than ``limit`` bytes (checked with fstat before
    reading, and again while reading, since the file may grow), and ``OSError``
    when it does not exist. With ``single_link`` a file with other hard links
    is refused as well (a hard link to a host file planted in a scratch folder)."""
    st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)      # refuse before any open
    if not stat.S_ISREG(st.st_mode):
        raise NotRegular(str(name), kind_of(st.st_mode))
    try:
        fd = os.open(name, _OPEN_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == getattr(os, "ELOOP", 40) or exc.errno == getattr(os, "EMLINK", 31):
            raise NotRegular(str(name), "a symbolic link") from None
        if exc.errno == getattr(os, "ENXIO", 6):        # a socket, or a FIFO opened without a writer
            raise NotRegular(str(name), "a socket or named pipe") from None
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(str(name), kind_of(st.st_mode))
        if single_link and st.st_nlink != 1:
            raise NotRegular(str(name), "a hard link to another file")
        if st.st_size > limit:
            raise TooLarge(str(name), st.st_size, limit)
        chunks, size = [], 0
        while size <= limit:
            block = os.read(fd, min(2**20, limit + 1 - size))
            if not block:
                break
            chunks.append(block)
            size += len(block)
        if size > limit:
            raise TooLarge(str(name), size, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_descriptor(fd, limit):
    """Up to ``limit`` bytes from the start of an open file (one the grader opened
    before the run, e.g. an unlinked temporary file the run wrote to); returns
    (bytes, whether there was more)."""
    data = os.pread(fd, limit + 1, 0)
    return data[:limit], len(data) > limit


def printable(text, limit=200):
    """``text`` safe to print on a terminal or in a table: control and format
    characters (ANSI escapes, carriage returns, bidirectional overrides) shown
    as escapes, cut to ``limit`` characters."""
    out = []
    for ch in str(text):
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Zl", "Zp") or ch == "\x7f":
            out.append(ch.encode("unicode_escape").decode("ascii") if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    text = "".join(out)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def quote(text, limit=160):
    """Text from a submission, shown as a quotation (never as the grader's own words)."""
    return "\u201c" + printable(" ".join(str(text).split()), limit) + "\u201d"
