"""The course pack: every solution passes the checker for several seeds; wrong answers fail without the answer.

The solutions are the cells tagged ``solution`` in ``notebooks/course/solutions/``, run here as they
are (the same package calls the notebooks make), not a copy of the planted truth.
"""

import re
import zoneinfo
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import takedown as td
from takedown import course

COURSE = Path(__file__).resolve().parents[1] / "notebooks" / "course"
SEEDS = [0, 1, 2]
NAMES = list(course.EXERCISES)


def notebook(name: str, *, solution: bool) -> Path:
    number = course.EXERCISES[name].number
    return (COURSE / "solutions" if solution else COURSE) / f"{number:02d}_{name}.ipynb"


def solve(name: str, seed: int):
    """Run the solution notebook's ``solution`` cells on the seed's archive; return its ANSWER."""
    cells = [
        c
        for c in nbformat.read(notebook(name, solution=True), as_version=4).cells
        if "solution" in c.metadata.get("tags", [])
    ]
    assert cells, f"{name}: no cell tagged 'solution'"
    scope = {"td": td, "SEED": seed, "archive": course.exercise(name, seed=seed)}
    for cell in cells:
        # The notebook's own cells are what is under test, so they run as written.
        exec(compile(cell.source, f"{name} solution", "exec"), scope)  # noqa: S102
    return scope["ANSWER"]


def planted(name: str, seed: int) -> tuple[set[str], list[str]]:
    """The planted accounts, and every string that would give the answer away."""
    truth = course._truth(name, seed)
    if name == "time_zone":
        return set(), [truth.knobs.timezone]
    if name == "superspreaders":
        ids = truth.accounts.sort_values("retweets", ascending=False, kind="stable")["userid"][: truth.planted["top_k"]]
    elif name == "outside_accounts":
        top = truth.external.sort_values("retweets_received", ascending=False).head(course.OUTSIDE_TOP)
        return set(top["userid"]), [*top["userid"], *top["screen_name"]]
    elif name == "coordinated_group":
        ids = truth.groups["userid"]
    else:
        ids = truth.bought["userid"]
    return set(ids.astype(str)), list(ids.astype(str))


# --- the solutions pass --------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", NAMES)
def test_solution_passes_the_checker(name, seed):
    result = course.check(name, solve(name, seed), seed=seed)
    assert result.correct, result.message
    assert result.message.startswith("Right")


# --- wrong answers fail, and never with the answer ------------------------------------------


def wrong_answers(name: str, seed: int) -> list:
    archive = course.exercise(name, seed=seed)
    if name == "time_zone":
        zone = course._truth(name, seed).knobs.timezone
        hours = pd.Timestamp(course._truth(name, seed).knobs.start, tz=zone).utcoffset().total_seconds() / 3600
        others = [z for z in course.ZONES if z != zone and zone_hours(z) != hours]
        return [0, hours + 1, -hours, "UTC", course._label(-hours), course._label(hours - 1), others[0], others[-1]]
    ids, _ = planted(name, seed)
    others = [u for u in archive.users["userid"] if u not in ids]
    inside = sorted(ids)
    mixes = [others[:3], inside[:1] + others[:4], inside[:-2], inside + others[:2]]
    if name == "outside_accounts":
        received = course._truth(name, seed).external.sort_values("retweets_received")
        mixes = [others[:5], inside[:4] + others[:1], inside[:3] + list(received["userid"][:2]), inside[:4]]
    return [m for m in mixes if m]


def zone_hours(zone: str) -> float:
    return pd.Timestamp("2021-06-01", tz=zone).utcoffset().total_seconds() / 3600


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", NAMES)
def test_wrong_answers_fail_without_giving_the_answer_away(name, seed):
    _, secrets = planted(name, seed)
    for answer in [None, *wrong_answers(name, seed)]:
        result = course.check(name, answer, seed=seed)
        assert not result.correct, (answer, result.message)
        assert "\n" not in result.message
        given = set(answer) if isinstance(answer, list) else set()
        for secret in secrets:
            if secret not in given:
                assert secret not in result.message, (answer, result.message)
        if name == "time_zone":
            label = course._label(zone_hours(course._truth(name, seed).knobs.timezone))
            assert label not in result.message, (answer, result.message)


def test_no_answer_yet():
    result = course.check("bought_accounts", None, seed=0)
    assert (result.answered, result.correct, bool(result)) == (False, False, False)
    assert result.message.startswith("No answer yet: set ANSWER to the bought accounts' user ids")


def test_the_messages_say_how_close_an_answer_is():
    ids, _ = planted("superspreaders", 1)
    archive = course.exercise("superspreaders", seed=1)
    others = [u for u in archive.users["userid"] if u not in ids]
    result = course.check("superspreaders", sorted(ids)[:3] + others[:2], seed=1)
    assert result.message.startswith("3 of your 5 accounts are super-spreaders.")
    group, _ = planted("coordinated_group", 0)
    result = course.check("coordinated_group", sorted(group)[:-3], seed=0)
    assert re.match(
        r"\d+ of your \d+ accounts are among the accounts of the coordinated group; more of them", result.message
    )
    assert str(len(group)) not in re.findall(r"\d+", result.message)  # the group's size stays hidden


# --- what the checker accepts ----------------------------------------------------------------


def test_time_zone_answers_in_every_form():
    truth = course._truth("time_zone", 0)
    hours = zone_hours(truth.knobs.timezone)
    label = course._label(hours)
    same = [z for z in zoneinfo.available_timezones() if z.startswith(("Asia/", "Europe/", "Africa/", "America/"))]
    twin = next(
        z for z in sorted(same) if z != truth.knobs.timezone and zone_hours(z) == hours and zone_hours_all_year(z)
    )
    for answer in [label, label.replace("UTC", ""), f"GMT{label[3:]}", hours, truth.knobs.timezone, twin]:
        assert course.check("time_zone", answer, seed=0).correct, answer
    assert course.check("time_zone", f"UTC{int(hours):+d}", seed=0).correct  # seed 0 plants a whole hour
    zone = td.measures.likely_timezone(course.exercise("time_zone", seed=0))
    assert course.check("time_zone", zone, seed=0).correct


def zone_hours_all_year(zone: str) -> bool:
    return pd.Timestamp("2021-01-15", tz=zone).utcoffset() == pd.Timestamp("2021-07-15", tz=zone).utcoffset()


def test_outside_accounts_by_screen_name():
    truth = course._truth("outside_accounts", 2)
    top = truth.external.sort_values("retweets_received", ascending=False).head(5)
    names = ["@" + n.upper() for n in top["screen_name"]]
    assert course.check("outside_accounts", names, seed=2).correct
    inside = course.check("outside_accounts", list(truth.accounts["userid"][:5]), seed=2)
    assert not inside.correct and "in the users file" in inside.message


@pytest.mark.parametrize("name", ["coordinated_group", "bought_accounts"])
def test_one_miss_and_one_extra_are_tolerated(name):
    ids, _ = planted(name, 1)
    archive = course.exercise(name, seed=1)
    other = next(u for u in archive.users["userid"] if u not in ids)
    members = sorted(ids)
    assert course.check(name, members[1:] + [other], seed=1).correct
    assert not course.check(name, members[2:], seed=1).correct
    second = [u for u in archive.users["userid"] if u not in ids][1]
    assert not course.check(name, members + [other, second], seed=1).correct


def test_superspreaders_exactly_the_top_k_in_any_order():
    ids, _ = planted("superspreaders", 0)
    counts = td.measures.retweets_by_account(course.exercise("superspreaders", seed=0))
    assert course.check("superspreaders", counts.head(len(ids)), seed=0).correct  # a Series indexed by id
    assert course.check("superspreaders", pd.Index(sorted(ids, reverse=True)), seed=0).correct
    assert not course.check("superspreaders", counts.head(len(ids) + 1), seed=0).correct


def test_answers_of_the_wrong_kind_raise_one_line_errors():
    with pytest.raises(TypeError, match=r"^answer: expected a collection of account ids, got a single string"):
        course.check("bought_accounts", "abc", seed=0)
    with pytest.raises(TypeError, match=r"^answer: account ids are strings \(never numbers\), got 123"):
        course.check("superspreaders", [123], seed=0)
    with pytest.raises(ValueError, match=r"^answer: unknown time zone 'Bangkok'"):
        course.check("time_zone", "Bangkok", seed=0)
    with pytest.raises(ValueError, match=r"^answer: expected a UTC offset between -12 and \+14"):
        course.check("time_zone", 7.1, seed=0)
    with pytest.raises(TypeError, match=r"^answer: expected a UTC offset"):
        course.check("time_zone", True, seed=0)
    with pytest.raises(ValueError, match=r"^name: unknown exercise 'tz'; choose one of time_zone, "):
        course.exercise("tz", seed=0)
    for seed in (-1, 1.5, True, "1"):
        with pytest.raises(ValueError, match=r"^seed: expected a whole number of at least 0"):
            course.check("time_zone", 7, seed=seed)
    empty = course.check("coordinated_group", [], seed=0)
    assert empty.answered and not empty.correct and empty.message.startswith("Your answer is empty")
    strangers = course.check("coordinated_group", ["not-an-id"], seed=0)
    assert "not in this archive" in strangers.message


# --- variants -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_archive_other_seed_other_answer(name):
    first, again, other = (course.exercise(name, seed=s) for s in (3, 3, 4))
    pd.testing.assert_frame_equal(first.tweets, again.tweets)
    assert not first.tweets["tweetid"].equals(other.tweets["tweetid"])
    if name != "time_zone":
        assert planted(name, 3)[0] != planted(name, 4)[0]
    assert first.name == f"synthetic_course_{name}" and first.provenance.release_format == "synthetic"
    assert any("SYNTHETIC" in note for note in first.provenance.notes)


def test_time_zones_differ_between_seeds():
    zones = {course._truth("time_zone", s).knobs.timezone for s in range(8)}
    assert len(zones) >= 5


def test_planted_zones_keep_one_offset_without_summer_time():
    for zone in course.ZONES:
        offsets = {
            pd.Timestamp(day, tz=zone).utcoffset() for day in pd.date_range("2019-06-01", "2023-12-31", freq="MS")
        }
        assert len(offsets) == 1, zone
    examples = [9.5]  # the offset the instructions use as an example is never planted
    assert not any(zone_hours(z) in examples for z in course.ZONES)


def test_archives_are_small():
    for name in NAMES:
        archive = course.exercise(name, seed=0)
        assert len(archive.users) <= 1_000 and len(archive.tweets) <= 12_500


# --- the pack --------------------------------------------------------------------------------


def test_every_exercise_has_a_notebook_and_a_solution():
    table = course.exercises()
    assert table.index.tolist() == NAMES and table["number"].tolist() == list(range(1, len(NAMES) + 1))
    for name in NAMES:
        for solution in (False, True):
            path = notebook(name, solution=solution)
            assert path.is_file() and path.with_suffix(".md").is_file(), path
            cells = nbformat.read(path, as_version=4).cells
            code = [c for c in cells if c.cell_type == "code"]
            assert code[0].metadata.get("tags") == ["parameters"] and code[0].source.startswith("SEED = 0")
            assert f'td.course.exercise("{name}", seed=SEED)' in code[1].source
            assert f'td.course.check("{name}", ANSWER, seed=SEED)' in "".join(c.source for c in code)
            assert cells[-1].cell_type == "markdown"
    exercises = [notebook(n, solution=False) for n in NAMES]
    assert all("ANSWER = None" in "".join(c.source for c in nbformat.read(p, as_version=4).cells) for p in exercises)


def test_check_reads_well_in_a_notebook():
    result = course.check("superspreaders", ["not-an-id"], seed=0)
    assert repr(result) == f"✗ {result.message}"
    assert "superspreaders (seed 0)" in result._repr_html_()
    shown = course.Check("time_zone", 0, answered=True, correct=False, message="a <b> c")._repr_html_()
    assert "a &lt;b&gt; c" in shown and "<b>" not in shown
    assert course.exercises().columns.tolist() == [
        "number",
        "title",
        "question",
        "hand_in",
        "accepted",
        "teaches",
        "functions",
        "reference",
    ]
