"""The short code printed on a worksheet: which course, which student, which lesson.

``staging.ivanova.K7M2Q``: the lesson, the student id, and five check characters
(Crockford base32 of an HMAC-SHA256 of the course secret, lesson and student).
The check catches typing mistakes and codes from another course; the code is
readable, so a teacher can see at a glance whose sheet it is.
"""

import hashlib
import hmac
import re

from .. import exercises

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"          # Crockford base32: no I, L, O, U
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})
CHECK_LEN = 5
# %-format: in a regex, %d reads better than an f-string's doubled braces
_CODE = re.compile(r"^([a-z]+)\.([A-Za-z0-9][A-Za-z0-9._-]{0,63})\.([0-9A-Za-z]{%d})$" % CHECK_LEN)  # noqa: UP031


def _check_chars(secret, lesson, student_id):
    digest = hmac.new(secret.encode(), f"worksheet\x1f{lesson}\x1f{student_id}".encode(), hashlib.sha256).digest()
    n = int.from_bytes(digest[:8], "big")
    return "".join(_ALPHABET[(n >> (5 * k)) & 31] for k in range(CHECK_LEN))


def make_code(secret, lesson, student_id):
    """The worksheet code for one student and lesson."""
    return f"{lesson}.{student_id}.{_check_chars(secret, lesson, student_id)}"


def parse_code(secret, code):
    """(lesson, student_id) from a code as a teacher typed it; ValueError says what is wrong."""
    text = str(code).strip().replace(" ", "")
    m = _CODE.match(text)
    if not m:
        raise ValueError(f"code {code!r} is not of the form LESSON.STUDENT.CHECK (e.g. staging.ivanova.K7M2Q)")
    lesson, student, check = m.group(1), m.group(2), m.group(3).upper().translate(_CONFUSABLE)
    if lesson not in exercises.LESSONS:
        raise ValueError(f"code {code!r}: unknown lesson {lesson!r} (known: {', '.join(exercises.LESSONS)})")
    if not hmac.compare_digest(check, _check_chars(secret, lesson, student)):
        raise ValueError(f"code {code!r}: the check characters do not match: a typing mistake in the code, or a "
                         "worksheet from another course (COSMODROME_COURSE_SECRET)")
    return lesson, student
