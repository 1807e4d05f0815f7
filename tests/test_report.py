"""The HTML report: self-contained, escaped, and rendered by a real browser."""

import re
import shutil
import subprocess

import pytest

import takedown as td

from .conftest import HASH_A, tweet, user, write_release

EVIL = "<script>alert('x')</script>"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


@pytest.fixture(scope="module")
def page():
    return td.report.build_report(td.datasets.sample(), tz="Asia/Bangkok")


def test_report_is_self_contained(page):
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    images = re.findall(r'<img alt="[^"]*" src="([^"]+)"', page)
    # Followers, creation, Lorenz, engagement, network, time-zone fit, hours, activity, clients.
    assert len(images) == 9 and all(src.startswith("data:image/png;base64,") for src in images)
    for section in (
        "Overview",
        "Accounts and followers",
        "Super-spreaders",
        "Engagement",
        "Amplifier network",
        "Timing",
    ):
        assert f"<h2>{section}" in page


def test_a_release_without_tweets_still_reports(tmp_path):
    archive = td.read_archive(write_release(tmp_path / "u", [user(HASH_A)], None), cache=False)
    page = td.report.build_report(archive)
    assert "The release holds accounts only: a users file, and no tweets." in page
    for empty in (
        "No tweets in this data (the release holds accounts only): the super-spreader measures count retweets.",
        "No tweets in this data: engagement is measured on tweets.",
        "No tweets in this data (the release holds accounts only): there is no network to draw.",
        "No tweets in this data: there is no activity to time.",
    ):
        assert empty in page
    assert "<h2>Timing</h2>" in page and "Tweets from" not in page


def test_synthetic_data_carries_a_banner(page, small_release):
    assert '<div class="banner">SYNTHETIC DATA.' in page
    real_like = td.report.build_report(td.read_archive(small_release, cache=False))
    assert "SYNTHETIC" not in real_like


def test_numbers_are_never_broken_and_files_are_named(page):
    assert "td.number, th.number { text-align: right; white-space: nowrap;" in page
    assert re.search(r'<td class="name"><span title="[^"]*synthetic_sample\.zip![^"]*">synthetic_sample_tweets', page)
    assert "<summary>Where the files are</summary>" in page


def test_without_tz_the_likely_zone_is_used_and_said():
    page = td.report.build_report(td.datasets.sample())
    assert "<h2>Timing (UTC+07:00)</h2>" in page
    assert "the zone the activity fits best; pass <code>--tz</code>" in page


def test_a_bad_tz_is_refused_before_anything_is_computed():
    with pytest.raises(ValueError, match="tz: unknown time zone 'Bangkok'"):
        td.report.build_report(td.datasets.sample(), tz="Bangkok")


def test_text_from_the_data_is_escaped(tmp_path):
    folder = write_release(tmp_path / "r", [user(HASH_A, user_profile_description=EVIL)], [tweet(tweet_text=EVIL)])
    archive = td.read_archive(folder, cache=False, name=EVIL)
    page = td.report.build_report(archive)
    assert EVIL not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_report_command_writes_the_sample_report(tmp_path):
    from click.testing import CliRunner

    from takedown.cli import cli

    result = CliRunner().invoke(cli, ["report", "-o", str(tmp_path / "report.html"), "--tz", "Asia/Bangkok"])
    assert result.exit_code == 0, result.output
    assert "synthetic_sample" in result.output
    assert "Timing (Asia/Bangkok)" in (tmp_path / "report.html").read_text(encoding="utf-8")


_CHECK = """<script>
window.__errors = [];
window.addEventListener("error", e => window.__errors.push(String(e.message)));
window.addEventListener("load", () => {
  const images = Array.from(document.images);
  document.body.setAttribute("data-images", images.length);
  document.body.setAttribute("data-broken", images.filter(i => !(i.complete && i.naturalWidth > 0)).length);
  document.body.setAttribute("data-errors", window.__errors.length);
});
</script>"""


def test_report_renders_in_headless_chromium(page, tmp_path):
    browser = next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)
    if browser is None:
        pytest.skip("no Chromium on this machine (Debian package 'chromium'; .ci/run installs it)")
    # The report has no script of its own; the check is added to a copy, after the page's content.
    checked = tmp_path / "checked.html"
    checked.write_text(page.replace("</body>", _CHECK + "</body>"), encoding="utf-8")
    done = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=10000",
            "--dump-dom",
            checked.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    body = re.search(r"<body([^>]*)>", done.stdout)
    assert body, done.stderr[-2000:]
    attributes = dict(re.findall(r'data-(\w+)="(\d+)"', body.group(1)))
    assert attributes == {"images": "9", "broken": "0", "errors": "0"}, attributes
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    assert not console, console


def test_other_data_sets_are_reported_in_their_own_terms():
    """Reddit has no retweets: its network is of replies; its creation dates cover only some accounts."""
    from .conftest import REAL

    reddit, clemson = REAL / "reddit_2018_suspicious_sample", REAL / "fivethirtyeight_ira_sample"
    if not (reddit.is_dir() and clemson.is_dir()):
        pytest.skip(f"the real Reddit and FiveThirtyEight samples are not in {REAL}")
    page = td.report.build_report(td.read_archive(reddit, cache=False))
    assert "<h2>Reply network</h2>" in page and "replies received" in page
    assert "No retweets in this data (reddit_2018): the network is made of replies" in page
    accounts = td.read_archive(reddit, cache=False).num_rows("users")
    dated = re.search(r"share of the ([\d,]+) with a date", page)
    assert dated and 0 < int(dated.group(1).replace(",", "")) < accounts
    page = td.report.build_report(td.read_archive(clemson, cache=False))
    assert "<h2>Amplifier network</h2>" in page
    assert "Follower counts are the latest recorded with each account" in page
    assert "taken when Twitter published the data" not in page


def test_generated_data_under_any_name_carries_the_banner():
    # generate() names the archive after its campaign; the report and the reproductions ask one is_synthetic.
    archive, _ = td.synth.generate(accounts=50, tweets=300, seed=1, campaign="demo")
    assert archive.name == "demo" and "SYNTHETIC DATA" in td.report.build_report(archive)
    assert td.reproduce.sio_thailand_2020(archive)["synthetic"].all()
