"""Write the notebooks in ``notebooks/`` (stored without outputs).

The notebooks are thin: load, call the package, show. Editing them here keeps
them consistent; run ``python tools/make_notebooks.py`` after a change.
"""

from __future__ import annotations

from pathlib import Path

import nbformat as nbf

ROOT = Path(__file__).resolve().parent.parent / "notebooks"
LOAD = (
    "import takedown as td\n\n"
    "archive = td.datasets.sample() if ARCHIVE is None else td.read_archive(ARCHIVE, progress=True)\n"
    "archive"
)
PARAMETERS = "ARCHIVE = None  # path to a real release; None means the bundled synthetic sample"


def notebook(title: str, intro: str, cells: list[tuple[str, str]], parameters: str = PARAMETERS) -> nbf.NotebookNode:
    nb = nbf.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    nb.cells = [
        nbf.v4.new_markdown_cell(f"# {title}\n\n{intro}"),
        nbf.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
        nbf.v4.new_code_cell(LOAD),
    ]
    for kind, text in cells:
        nb.cells.append(nbf.v4.new_markdown_cell(text) if kind == "md" else nbf.v4.new_code_cell(text))
    return nb


NOTEBOOKS = {
    "01_quick_start.ipynb": notebook(
        "01 · Quick start: read a takedown release",
        "Load a release exactly as Twitter distributed it and look at what came in: the two tables, their types, "
        "and the provenance that records every file read and every row that could not be taken as written.\n\n"
        "With `ARCHIVE = None` the notebooks run on the synthetic sample bundled with `takedown`; set it to the "
        "folder of a real release (for example `'../../shared/data/real/thailand_092020'`) to run them on that.",
        [
            (
                "md",
                "Where the rows came from: every file with its bytes and rows, the release format, and the issues "
                "found while reading.",
            ),
            ("code", "archive.provenance"),
            ("code", "archive.provenance.files_frame()"),
            (
                "md",
                "The tables use Arrow-backed types: ids are strings (never floats), `tweet_time` is a UTC "
                "timestamp, counts are nullable integers and the list columns hold lists of strings.",
            ),
            ("code", "archive.tweets.dtypes"),
            (
                "code",
                'archive.tweets[["tweetid", "userid", "tweet_time", "is_retweet", "hashtags", "user_mentions"]].head()',
            ),
            ("code", "archive.users.head()"),
            ("md", "Anything that could not be read as written is listed here with its file, line and column."),
            ("code", "archive.provenance.issues"),
        ],
    ),
    "02_accounts_and_followers.ipynb": notebook(
        "02 · Accounts and followers (after ASPI)",
        "ASPI found that 78.5% of the China 2020 accounts had no followers and 95% fewer than 8: the network "
        "talked to itself. These cells measure the same on any release, and look for batches of accounts created "
        "on the same days.",
        [
            ("md", "Followers of all accounts and of those that tweeted, at the thresholds the reports use."),
            ("code", "td.measures.follower_summary(archive).T"),
            ("code", "td.plot.follower_ccdf(td.measures.follower_ccdf(archive), source=archive.name);"),
            ("md", "Accounts created in batches: the largest same-day and same-month batches."),
            ("code", "td.measures.creation_bursts(archive, freq='D', top=5)"),
            (
                "code",
                "months = td.measures.creation_bursts(archive, freq='M', top=1000)\n"
                "td.plot.creation_bursts(months, source=archive.name);",
            ),
            ("md", "ASPI's check: tweets from accounts with no followers that still got many likes or retweets."),
            ("code", "td.measures.zero_follower_hits(archive)"),
        ],
    ),
    "03_superspreaders.ipynb": notebook(
        "03 · Super-spreaders and concentration (after OII)",
        "The Oxford Internet Institute found that the top 1% of accounts retweeting Chinese diplomats made nearly "
        "half of all their retweets. Here: the same share, its Lorenz curve and Gini, and how much of each "
        "amplified account's retweets came from the top spreaders.",
        [
            ("code", "edges = td.edges.retweets(archive)\nedges.head()"),
            ("code", "td.measures.superspreaders(edges, q=0.01, ci=0.95, seed=1)"),
            ("code", "counts = td.measures.retweets_by_account(edges)\ntd.measures.gini(counts)"),
            ("code", "td.plot.lorenz_curve(td.measures.lorenz_curve(counts), q=0.01, source=archive.name);"),
            (
                "md",
                "Seen from each amplified account: the share of the retweets it received that came from the top 1%.",
            ),
            (
                "code",
                "by_target = td.measures.superspreader_share_by_target(edges)\n"
                "by_target.rename(index=td.edges.screen_names(archive)).head(10)",
            ),
        ],
    ),
    "04_engagement.ipynb": notebook(
        "04 · How engagement is shared out",
        "SIO found that most Thailand tweets received no engagement at all (0.26 engagements per tweet). Here: "
        "engagement per tweet, per account, and how concentrated it is.",
        [
            ("code", "td.measures.engagement_summary(archive)"),
            ("code", "td.plot.engagement_distribution(td.measures.engagement(archive), source=archive.name);"),
            ("code", "per_account, concentration = td.measures.engagement_by_account(archive)\nconcentration"),
            (
                "code",
                "td.plot.lorenz_curve(td.measures.lorenz_curve(per_account['engagement']), what='engagements', "
                "source=archive.name);",
            ),
        ],
    ),
    "05_amplifier_network.ipynb": notebook(
        "05 · The amplifier network",
        "Who amplifies whom: the retweet graph, its communities (Leiden), the most amplified accounts, and an "
        "export for Gephi.",
        [
            ("code", "amplification = td.edges.amplification(archive)\namplification.head()"),
            ("code", "graph = td.graphs.to_igraph(td.edges.retweets(archive), users=archive)\ngraph.summary()"),
            ("code", "communities = td.graphs.communities(graph, seed=1)\ncommunities.value_counts().head()"),
            ("md", "The most amplified accounts, by PageRank, with their screen names."),
            (
                "code",
                "names = td.edges.screen_names(archive)\n"
                "td.graphs.pagerank(graph).sort_values(ascending=False).head(10).rename(index=names)",
            ),
            ("md", "Accounts tied by amplifying the same targets (the projection of the amplifier graph)."),
            ("code", "td.graphs.projection(amplification, min_shared=3).head()"),
            ("md", "Export for Gephi: nodes carry followers, tweets, labels and whether they are in the archive."),
            (
                "code",
                "import tempfile\n\npath = td.graphs.write_gexf(graph, tempfile.mkdtemp() + '/retweets.gexf')\npath",
            ),
            (
                "code",
                "small = td.graphs.to_networkx(td.edges.aggregate(td.edges.retweets(archive)).head(300), users=archive)\n"
                "td.plot.network(small, color_by='in_archive', source=archive.name);",
            ),
        ],
    ),
    "06_timing_clients_bursts.ipynb": notebook(
        "06 · Timing, clients and creation bursts",
        "Operations keep office hours: SIO saw Bangkok working hours with a lunch dip, ASPI Beijing's working "
        "week. Set `TIMEZONE` to the operators' presumed time zone.",
        [
            (
                "code",
                "grid = td.measures.hourly_activity(archive, tz=TIMEZONE, half_hours=True)\n"
                "td.plot.hourly_activity(grid, tz=TIMEZONE, source=archive.name);",
            ),
            ("code", "td.measures.office_hours_share(archive, tz=TIMEZONE)"),
            (
                "code",
                "daily = td.measures.activity_series(archive, freq='D', tz=TIMEZONE, by='is_retweet')\n"
                "td.plot.activity_series(daily, source=archive.name);",
            ),
            ("md", "How fast the accounts retweet: gaps between an account's posts, and delays after the original."),
            ("code", "td.measures.posting_gaps(archive, retweets_only=True).head()"),
            ("code", "td.measures.retweet_delays(td.edges.retweets(archive))"),
            ("md", "Clients, switches of client, languages and hashtags over time."),
            ("code", "td.plot.client_shares(td.measures.client_shares(archive, freq='M'), source=archive.name);"),
            (
                "code",
                "switches = td.measures.client_switches(archive, freq='M')\nswitches[switches['switched']].head()",
            ),
            ("code", "td.measures.language_shares(archive)"),
            ("code", "td.measures.top_hashtags(archive, freq='M', top=3)"),
        ],
        parameters=PARAMETERS + '\nTIMEZONE = "Asia/Bangkok"',
    ),
    "07_coordination.ipynb": notebook(
        "07 · Coordination: who acts together within seconds",
        "Accounts that retweet the same tweet, or use the same hashtag, within seconds of each other are a mark "
        "of coordination (Schoch et al. 2022 and OII used 60 seconds). Chance produces some such pairs too, so "
        "each pair is tested against a null model that shuffles every account's times. On the sample the "
        "planted coordinated groups are known (`td.datasets.sample_truth()`), so we can check what is found.",
        [
            ("code", "pairs = td.edges.co_actions(archive, on='retweet', window='60s', min_shared=2)\npairs.head()"),
            ("md", "Several windows side by side: each table records its parameters."),
            (
                "code",
                "import pandas as pd\n\n"
                "windows = pd.concat([td.edges.co_actions(archive, window=w) for w in ('10s', '60s', '10min')])\n"
                "windows.groupby('window').size()",
            ),
            ("md", "The evidence behind the strongest pair: the tweets both retweeted, and how many seconds apart."),
            (
                "code",
                "first = pairs.iloc[0]\ntd.edges.evidence(pairs, archive, first['account_a'], first['account_b'])",
            ),
            ("md", "How often does chance give as much? (More permutations give finer p-values.)"),
            (
                "code",
                "tested = td.edges.null_model(pairs, archive, n=50, seed=1)\n"
                "coordinated = td.edges.significant(tested, alpha=0.05)\n"
                "len(pairs), len(coordinated), tested.attrs['network_p_value']",
            ),
            ("md", "Communities of the coordination graph."),
            (
                "code",
                "graph = td.graphs.to_igraph(coordinated, users=archive, directed=False)\n"
                "td.graphs.communities(graph, seed=1).value_counts()",
            ),
            ("md", "Retweets posted within a minute of the original."),
            ("code", "fast = td.edges.fast_retweets(archive, within='60s')\nfast['source'].value_counts().head()"),
            ("md", "On the sample, compare with the planted groups (on a real release there is no answer key)."),
            (
                "code",
                "if ARCHIVE is None:\n"
                "    truth = td.datasets.sample_truth()\n"
                "    planted = truth.groups.merge(truth.groups, on='group').query('userid_x < userid_y')\n"
                "    found = set(zip(coordinated['account_a'], coordinated['account_b']))\n"
                "    hits = sum((a, b) in found for a, b in zip(planted['userid_x'], planted['userid_y']))\n"
                "    print(f'planted pairs found: {hits} of {len(planted)}; pairs reported: {len(found)}')",
            ),
        ],
    ),
    "reproduce/sio_thailand_2020.ipynb": notebook(
        "Reproduction · SIO, “Cheerleading Without Fans” (Thailand, Oct 2020)",
        "Every claim of the Stanford Internet Observatory's report on the Royal Thai Army's network, with the "
        "published value, the value recomputed with `takedown`, and whether they match. Run it on the real "
        "release: set `ARCHIVE` to the `thailand_092020` folder (for example "
        "`'../../../shared/data/real/thailand_092020'`). On the synthetic sample the claims are not expected to hold.",
        [
            ("code", "table = td.reproduce.sio_thailand_2020(archive)\ntable"),
            ("code", "print(f\"{table['match'].sum()} of {len(table)} claims match\")"),
        ],
    ),
}


def main() -> None:
    for name, nb in NOTEBOOKS.items():
        path = ROOT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        nbf.write(nb, path)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
