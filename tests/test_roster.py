"""Rosters as teachers have them: a student_id column, or a learning platform's export.

The headers below are the platforms' own (see ``grading.submission.ID_HEADERS`` for the
sources): Canvas's Grades > Export ("Student", "ID", "SIS User ID", "SIS Login ID",
"Section", then a "Points Possible" row; nemogb's "Detailed Canvas Export Info", Ohio
State's "Import a CSV file into Carmen Grades") and Moodle's Grades > Export > Plain
text ("First name", "Last name", the identity fields such as "ID number", "Email address"
and "Username", the grade items, "Last downloaded from this course"; Moodle's
grade/export/txt/grade_export_txt.php, MoodleDocs "Grade import").
"""

import pytest

from cosmodrome.exercises import check_student_id
from cosmodrome.grading.submission import Roster, Student, read_roster

CANVAS_HEADER = "Student,ID,SIS User ID,SIS Login ID,Section,Rocket quiz (4411),Current Score,Final Score\n"
CANVAS_POINTS = "    Points Possible,,,,,10.00,(read only),(read only)\n"


def roster(tmp_path, text, name="roster.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return read_roster(path)


def pairs(students):
    return [(s.student_id, s.name) for s in students]


def test_student_id_column_as_before(tmp_path):
    r = roster(tmp_path, "student_id,name\nivanova,Anna Ivanova\nkim,Kim Min-jun\n")
    assert isinstance(r, Roster) and isinstance(r, list) and r[0] == Student("ivanova", "Anna Ivanova")
    assert r.id_column == "student_id" and r.note == "roster roster.csv: 2 student(s), ids from the student_id column"


@pytest.mark.parametrize("header", ["Student ID", "student-id", "STUDENT_ID", "studentid"])
def test_student_id_spelled_as_spreadsheets_do(tmp_path, header):
    assert pairs(roster(tmp_path, f"{header},name\nkim,Kim\n")) == [("kim", "Kim")]


def test_student_id_wins_over_other_id_columns(tmp_path):
    r = roster(tmp_path, "id,username,student_id,email\n7,kmj,kim,k@x.org\n")
    assert pairs(r) == [("kim", "kim")] and r.id_column == "student_id"


@pytest.mark.parametrize("header", ["id", "username", "login", "Username", "User name"])
def test_one_id_column_of_another_name(tmp_path, header):
    r = roster(tmp_path, f"{header},name\nivanova,Anna Ivanova\n")
    assert pairs(r) == [("ivanova", "Anna Ivanova")] and r.id_column == header
    assert r.note == f"roster roster.csv: 1 student(s), ids from column {header!r}"


def test_canvas_export_without_a_sis(tmp_path):
    """A course without a student information system: the SIS columns are empty, so the ids
    are Canvas's own user numbers; the Points Possible row and the test student are not students."""
    r = roster(tmp_path, CANVAS_HEADER + CANVAS_POINTS
               + '"Ivanova, Anna",1001,,,Section A,9,90,90\n'
               + '"Kim, Min-jun",1002,,,Section A,8,80,80\n'
               + '"Student, Test",1999,,,Section A,,,\n')
    assert pairs(r) == [("1001", "Ivanova, Anna"), ("1002", "Kim, Min-jun")]
    assert r.note == "roster roster.csv: 2 student(s), ids from column 'ID'"


def test_canvas_export_with_one_sis_id(tmp_path):
    r = roster(tmp_path, CANVAS_HEADER + CANVAS_POINTS
               + '"Ivanova, Anna",1001,,ivanova,Section A,9,90,90\n'
               + '"Kim, Min-jun",1002,,kim,Section A,8,80,80\n')
    assert pairs(r) == [("ivanova", "Ivanova, Anna"), ("kim", "Kim, Min-jun")] and r.id_column == "SIS Login ID"


def test_canvas_export_whose_sis_ids_agree(tmp_path):
    r = roster(tmp_path, CANVAS_HEADER + CANVAS_POINTS + '"Ivanova, Anna",1001,ivanova,IVANOVA,A,9,90,90\n')
    assert pairs(r) == [("ivanova", "Ivanova, Anna")]
    assert r.note.endswith("ids from column 'SIS User ID' (the same ids as 'SIS Login ID')")


def test_canvas_export_with_two_different_sis_ids_is_refused_naming_both(tmp_path):
    with pytest.raises(ValueError) as err:
        roster(tmp_path, CANVAS_HEADER + CANVAS_POINTS + '"Ivanova, Anna",1001,S2024-17,ivanova,A,9,90,90\n')
    msg = str(err.value)
    assert msg == ("roster roster.csv: which column holds the student ids? 'SIS User ID' (row 3: 'S2024-17') and "
                   "'SIS Login ID' (row 3: 'ivanova') differ; rename the one your students use in "
                   "start(student=...) and in their notebooks' names to student_id")
    assert "'ID'" not in msg                           # Canvas's own number is not a candidate beside a SIS id


def test_generic_file_with_two_different_id_columns_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"which column holds the student ids\? 'id' \(row 2: '17'\) and "
                                         r"'username' \(row 2: 'kim'\) differ"):
        roster(tmp_path, "id,username,name\n17,kim,Kim\n")


def test_moodle_export_default_identity_is_email(tmp_path):
    """Moodle's default identity field is the email address: the id is the part before '@'."""
    r = roster(tmp_path, "First name,Last name,Email address,Quiz: Rocket (Real),Last downloaded from this course\n"
               "Anna,Ivanova,anna.ivanova@school.example,9.00,1717171717\n"
               "Min-jun,Kim,kim.mj@school.example,8.00,1717171717\n")
    assert pairs(r) == [("anna.ivanova", "Anna Ivanova"), ("kim.mj", "Min-jun Kim")]
    assert r.note == "roster roster.csv: 2 student(s), ids from column 'Email address', the part before '@'"
    for s in r:
        assert check_student_id(s.student_id) == s.student_id


def test_moodle_export_semicolon_separated_with_surname_and_id_number(tmp_path):
    r = roster(tmp_path, "First name;Surname;ID number;Institution;Department;Quiz\n"
               "Anna;Ivanova;20240017;School 5;Physics;9\n")
    assert pairs(r) == [("20240017", "Anna Ivanova")] and r.id_column == "ID number"


def test_moodle_tab_separated_with_username_and_matching_email(tmp_path):
    r = roster(tmp_path, "First name\tLast name\tUsername\tEmail address\n"
               "Anna\tIvanova\tivanova\tivanova@school.example\n")
    assert pairs(r) == [("ivanova", "Anna Ivanova")]
    assert r.note.endswith("ids from column 'Username' (the same ids as 'Email address')")


def test_moodle_with_id_number_and_email_that_differ_is_refused(tmp_path):
    with pytest.raises(ValueError, match="'ID number' .* and 'Email address' .* differ"):
        roster(tmp_path, "First name,Last name,ID number,Email address\nAnna,Ivanova,20240017,anna@x.example\n")


def test_emails_whose_names_clash_are_refused(tmp_path):
    with pytest.raises(ValueError, match=r"rows 2 \('a.kim@one.example'\) and 3 \('a.kim@two.example'\) share it"):
        roster(tmp_path, "name,email\nKim A,a.kim@one.example\nKim B,a.kim@two.example\n")


def test_ids_still_pass_the_student_id_rule(tmp_path):
    with pytest.raises(ValueError, match=r"row 2: student_id 'anna ivanova' \(column 'Email address'\) must be"):
        roster(tmp_path, "First name,Last name,Email address\nAnna,Ivanova,anna ivanova@x.example\n")
    with pytest.raises(ValueError, match=r"row 3: student_id 'KIM' appears twice"):
        roster(tmp_path, "username\nkim\nKIM\n")
    with pytest.raises(ValueError, match="row 3: student_id '' .*column 'username'"):
        roster(tmp_path, "username,name\nkim,Kim\n,Lee\n")      # a student without an id is not skipped


def test_no_id_column_names_what_is_accepted(tmp_path):
    with pytest.raises(ValueError, match=r"no column of student ids; the header needs student_id \(or id, username, "
                                         r"login, email, or a Canvas or Moodle export's\) \(got \['Name', 'Grade'\]\)"):
        roster(tmp_path, "Name,Grade\nKim,5\n")


def test_byte_order_mark_quotes_and_blank_lines(tmp_path):
    r = roster(tmp_path, '\ufeff"Student ID","Name"\n\n"kim","Kim, Min-jun"\n,\n', encoding="utf-8")
    assert pairs(r) == [("kim", "Kim, Min-jun")]


def test_empty_roster_files(tmp_path):
    with pytest.raises(ValueError, match="is empty"):
        roster(tmp_path, "")
    with pytest.raises(ValueError, match="has no students"):
        roster(tmp_path, CANVAS_HEADER + CANVAS_POINTS)
