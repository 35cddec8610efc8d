"""Ships the course (notebooks, exercises, datasets) inside the wheel as ``creditlab._course``.

Everything else is configured in ``pyproject.toml``. The course folders stay at the top of the
repository (where developers and nbval use them); ``package_dir`` maps them into the package so
that ``pip install "creditlab[course]"`` then ``creditlab course DIR`` works without a checkout.
"""

from setuptools import find_packages, setup

COURSE = {
    "creditlab._course.notebooks": "notebooks",
    "creditlab._course.exercises": "exercises",
    "creditlab._course.datasets": "datasets",
}

setup(packages=find_packages(include=["creditlab", "creditlab.*"]) + list(COURSE),
      package_dir=COURSE)
