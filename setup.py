"""Build hook: the wheel carries the project's data and lessons inside the package.

Everything else is declared in pyproject.toml. The checkout keeps ``data/`` and
``lessons/`` at its top level (an editable install reads them there, see
``src/cosmodrome/_data.py``); a built wheel needs its own copies, so ``build_py``
copies them into ``cosmodrome/_bundled/data`` and ``cosmodrome/_bundled/lessons``
of the build folder: all of ``data/``, and of ``lessons/`` every ``*.ipynb`` (no
names are listed: lessons come and go), ``images/`` and ``README.md``. The sdist
carries both folders (MANIFEST.in), so a wheel built from it has them too.

The target is emptied first, so a renamed or deleted lesson never survives from an
earlier build in the same folder.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", ".DS_Store")


def bundle(target):
    """Copy the top-level data/ and lessons/ into ``target`` (emptied first)."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(HERE / "data", target / "data", ignore=JUNK)
    lessons = target / "lessons"
    lessons.mkdir(parents=True)
    notebooks = sorted((HERE / "lessons").glob("*.ipynb"))
    if not notebooks:
        raise SystemExit(f"no lessons (*.ipynb) in {HERE / 'lessons'}: the wheel would have none")
    for path in notebooks + [HERE / "lessons" / "README.md"]:
        shutil.copy2(path, lessons / path.name)
    if (HERE / "lessons" / "images").is_dir():
        shutil.copytree(HERE / "lessons" / "images", lessons / "images", ignore=JUNK)


class BuildPyWithData(build_py):
    """setuptools' build_py, then the data and lessons into the package (not for an
    editable install, which reads the checkout's folders in place)."""

    def run(self):
        super().run()
        if not getattr(self, "editable_mode", False):
            bundle(Path(self.build_lib) / "cosmodrome" / "_bundled")


setup(
    cmdclass={"build_py": BuildPyWithData},
    # JupyterLab reads every file in page_config.d (jupyter_server's config manager: "installing
    # a Python package may put a json file somewhere in the .d directory"); this one disables the
    # news and update pop-up (JupyterLab docs, "Announcements") in the environment cosmodrome is
    # installed into, so students who `pip install cosmodrome` are not greeted by it either.
    data_files=[("etc/jupyter/labconfig/page_config.d", ["jupyter-config/labconfig/page_config.d/cosmodrome.json"])],
)
