"""Reading what a student controls: links, FIFOs, devices and large files are refused
without being followed or blocking; names and quoted text are safe to print; submitted
files are matched to the roster by their exact id."""

import os

import pytest

from cosmodrome.grading import untrusted
from cosmodrome.grading.similarity import copy_flags, fingerprint
from cosmodrome.grading.submission import Student, find_submissions


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "plain.txt").write_bytes(b"x" * 100)
    os.symlink("/etc/hostname", tmp_path / "link")
    os.symlink("/dev/zero", tmp_path / "zero")
    os.mkfifo(tmp_path / "fifo")
    os.link(tmp_path / "plain.txt", tmp_path / "hard")
    return tmp_path


def test_a_regular_file_is_read_up_to_its_cap(folder):
    fd = untrusted.open_folder(folder)
    try:
        assert untrusted.read_regular("plain.txt", 100, fd) == b"x" * 100
        with pytest.raises(untrusted.TooLarge):
            untrusted.read_regular("plain.txt", 99, fd)
        with pytest.raises(FileNotFoundError):
            untrusted.read_regular("missing", 10, fd)
    finally:
        os.close(fd)


@pytest.mark.parametrize("name, kind", [("link", "a symbolic link"), ("zero", "a symbolic link"),
                                        ("fifo", "a named pipe (FIFO)")])
def test_links_and_fifos_are_refused_without_blocking(folder, name, kind):
    # a FIFO opened the ordinary way would block this test forever
    fd = untrusted.open_folder(folder)
    try:
        with pytest.raises(untrusted.NotRegular) as err:
            untrusted.read_regular(name, 2**20, fd)
        assert err.value.kind == kind
    finally:
        os.close(fd)


def test_a_device_and_a_hard_link_are_refused(folder):
    with pytest.raises(untrusted.NotRegular, match="character device"):
        untrusted.read_regular("/dev/zero", 2**20)
    fd = untrusted.open_folder(folder)
    try:
        with pytest.raises(untrusted.NotRegular, match="hard link"):
            untrusted.read_regular("hard", 2**20, fd, single_link=True)
    finally:
        os.close(fd)


def test_a_linked_folder_is_not_opened(tmp_path):
    os.symlink("/etc", tmp_path / "etc")
    with pytest.raises(OSError):
        untrusted.open_folder(tmp_path / "etc")


def test_names_and_quotes_are_safe_to_print():
    assert untrusted.printable("\x1b[2Jevil.ipynb") == "\\x1b[2Jevil.ipynb"
    assert untrusted.printable("a\rb\u202ec") == "a\\rb\\u202ec"
    assert untrusted.printable("Ivanova Анна") == "Ivanova Анна"
    assert untrusted.quote("line one\nline two") == "\u201cline one line two\u201d"
    assert len(untrusted.printable("x" * 1000, 50)) == 50


def test_files_are_matched_by_their_exact_id(tmp_path):
    students = [Student(s, s) for s in ("j.smith", "anna", "anna.k", "bo", "bo.x")]
    for name in ("j.smith.ipynb", "anna.ipynb", "anna.k.ipynb", "bo.x", "..ipynb", "anna.k.smith.ipynb"):
        (tmp_path / name).write_text("{}")
    found, unmatched, ambiguous = find_submissions(tmp_path, students)
    assert {sid: f.name for sid, f in found.items()} == {
        "j.smith": "j.smith.ipynb", "anna": "anna.ipynb", "anna.k": "anna.k.ipynb"}
    assert ambiguous == {"bo.x": ["bo", "bo.x"]}
    assert unmatched == ["..ipynb", "anna.k.smith.ipynb"]


def test_a_students_folder_and_links_inside_it(tmp_path):
    (tmp_path / "kim").mkdir()
    (tmp_path / "kim" / "lab.ipynb").write_text("{}")
    os.symlink("/etc/passwd", tmp_path / "kim" / "secret.ipynb")
    os.symlink(tmp_path / "kim", tmp_path / "lee")
    found, _, _ = find_submissions(tmp_path, [Student("kim", "Kim"), Student("lee", "Lee")])
    assert found["kim"].name == "kim/lab.ipynb" and not found["kim"].problem
    assert "kim/secret.ipynb is a symbolic link" in found["kim"].note
    assert "lee is a symbolic link" in found["lee"].problem


def test_copies_are_found_through_renaming_layout_comments_and_the_id():
    a = ['from cosmodrome.exercises import start\nws = start("rocket", student="anna")',
         "total = 0\nfor x in range(3):\n    total += x  # sum\n    print(total, 'partial')\n"
         "ws['rocket-1'].check(total * 2.5)"]
    b = ['from cosmodrome.exercises import start\nws = start("rocket",student="bo")',
         "# my own\nacc = 0\nfor i in range(3):\n\n    acc += i\n    print(acc, 'partial')\n"
         "ws['rocket-1'].check(acc*2.5)"]
    c = [a[0], a[1].replace("2.5", "3.5")]
    ids = ("anna", "bo", "cy")
    fa, fb, fc = (fingerprint(x, "rocket", ids)[0] for x in (a, b, c))
    assert fa is not None and fa == fb and fa != fc
    flags = copy_flags([{"student_id": "anna", "fingerprint": fa}, {"student_id": "bo", "fingerprint": fb},
                        {"student_id": "cy", "fingerprint": fc}])
    assert set(flags) == {"anna", "bo"} and "same code as bo" in flags["anna"][0]
    assert fingerprint(["x = 1"], "rocket", ids)[0] is None          # too little to compare
