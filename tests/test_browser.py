"""Lesson 2 in a real browser: JupyterLab on localhost with a token, driven by
Playwright in Debian's Chromium. Runs every cell, types a wrong answer and then
the right one into an exercise, sees the feedback change, and inspects a
screenshot. `make test` installs Chromium (apt) and Playwright (pip); CI sets
COSMODROME_REQUIRE_BROWSER=1 so the test cannot silently skip there."""

import io
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cosmodrome import exercises
from cosmodrome.course.release import release

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("COSMODROME_REQUIRE_BROWSER") == "1"
SECRET = "browser-test-course"
STUDENT = "browser-student"
IDLE = '.jp-Notebook-ExecutionIndicator[data-status="idle"]'


def _free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture
def lab(tmp_path):
    if not CHROMIUM or not shutil.which("jupyter", path=str(Path(sys.executable).parent)):
        if REQUIRED:
            pytest.fail("COSMODROME_REQUIRE_BROWSER=1 but Chromium or JupyterLab is missing")
        pytest.skip("Chromium not installed (make test installs it as root)")
    release(ROOT / "lessons", tmp_path / "lessons")
    nb = tmp_path / "lessons" / "02-latitude.ipynb"
    nb.write_text(nb.read_text().replace('student=\\"your-id\\"', f'student=\\"{STUDENT}\\"'))
    port, token = _free_port(), secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith("COSMODROME_")}
    env.update(COSMODROME_COURSE_SECRET=SECRET, JUPYTER_CONFIG_DIR=str(tmp_path / "jcfg"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "jrt"), JUPYTER_DATA_DIR=str(tmp_path / "jdata"))
    log = open(tmp_path / "lab.log", "w")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1",
                             f"--port={port}", f"--IdentityProvider.token={token}",
                             f"--ServerApp.root_dir={tmp_path / 'lessons'}", "--allow-root"],
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/lab/tree/02-latitude.ipynb?token={token}", tmp_path
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.mark.slow
def test_lesson_2_in_jupyterlab_gives_feedback_that_changes(lab):
    playwright = pytest.importorskip("playwright.sync_api")
    from PIL import Image

    url, tmp = lab
    # the notebook's numbers come from the same course secret as the lab's kernel
    ex = exercises.EXERCISES["latitude-1"]
    params = ex.params(STUDENT, SECRET)
    ref = ex.reference(params)
    mistake = next(m.wrong(params) for m in ex.misconceptions if m.wrong(params) is not None)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
        page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=90_000)
        time.sleep(2)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        cell = page.locator(".jp-CodeCell").filter(has_text="latitude-1").last
        output = cell.locator(".jp-OutputArea-output").first
        output.wait_for(timeout=120_000)
        page.wait_for_selector(IDLE, state="attached", timeout=120_000)
        # text_content, not inner_text: JupyterLab 4 skips rendering cells out of view
        # (content-visibility), and a long lesson puts this one below the fold
        assert "Not marked" in output.text_content()        # the student copy's answer = None
        # every cell ran without an error
        assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0

        def answer(value):
            before = output.text_content()
            cell.locator(".cm-content").click()
            page.keyboard.press("Control+a")
            page.keyboard.type(f'p = ws["latitude-1"].params\nanswer = {value}\nws["latitude-1"].check(answer)')
            page.keyboard.press("Shift+Enter")
            page.wait_for_function("([el, old]) => el.isConnected && el.textContent !== old",
                                   arg=[output.element_handle(), before], timeout=60_000)
            page.wait_for_selector(IDLE, state="attached", timeout=60_000)
            return output.text_content()

        wrong = answer(round(mistake, 2))                   # a known mistake: told which, never too high/low
        assert "Not yet" in wrong and "Hint" in wrong
        right = answer(round(ref, 2))
        assert "Correct" in right and right != wrong
        cell.scroll_into_view_if_needed()
        shot = tmp / "lesson2.png"
        page.screenshot(path=str(shot))
        out_shot = output.screenshot()
        browser.close()
    img = Image.open(shot).convert("RGB")
    assert img.size == (1400, 1000)
    assert len(img.getcolors(maxcolors=1 << 20) or []) > 50              # a rendered page, not a blank one
    feedback = Image.open(io.BytesIO(out_shot)).convert("L")
    assert feedback.getextrema()[0] < 100                                 # the feedback text is drawn
