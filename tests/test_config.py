"""Config folders are checked before anything is written; what is usable but odd is
reported as a warning."""

from pipelines.config import load_config
from tests.support import ROSTER


def test_supervisors_who_supervise_each_other_are_a_warning_not_an_error(program):
    s1, s2 = ROSTER[0], ROSTER[1]
    program.write_config(roster=[(*s1[:6], "S2", *s1[7:]), (*s2[:6], "S1", *s2[7:]), *ROSTER[2:]])
    assert load_config(program.config).warnings == [
        f"{program.config / 'roster.csv'}: supervisors form a cycle (S1 -> S2 -> S1), "
        "so they approve each other's outside CE"
    ]


def test_a_roster_whose_chains_end_at_the_top_has_no_warning(program):
    assert load_config(program.config).warnings == []


# Requirement tracks (rules 13-18): certifications.csv, catalog topics, policy.yaml's tracks

import pytest  # noqa: E402

from pipelines.errors import CeledgerError  # noqa: E402
from tests.support import CATALOG, POLICY  # noqa: E402

PA_TRACK = """tracks:
  - name: pa-cps
    credential: PA-CPS
    hours: 36
    cycle: {months: 24, anchor: certified_on}
    minimums:
      - {name: ethics, topics: [ethics], hours: 3}
    caps:
      - {name: home_study, kinds: [course], hours: 10}
"""


def refusal(program) -> str:
    with pytest.raises(CeledgerError) as refused:
        load_config(program.config)
    message = str(refused.value)
    assert "\n" not in message
    return message


def test_a_policy_with_tracks_certifications_and_topics_is_read(program):
    program.write_config(
        policy=POLICY + PA_TRACK,
        catalog=[(*row, "ethics;peer_support") for row in CATALOG],
        certifications=[("W1", "PA-CPS", "2024-03-15", ""), ("W2", "NE-CPSS", "2025-01-10", "2027-09-01")],
    )
    (track,) = load_config(program.config).policy.tracks
    assert (track.name, track.credential, track.months, track.anchor, track.approval) == (
        "pa-cps", "PA-CPS", 24, None, "none"
    )  # fmt: skip
    assert [(m.name, m.topics) for m in track.minimums] == [("ethics", ("ethics",))]
    assert [(c.name, c.kinds, c.topics) for c in track.caps] == [("home_study", ("course",), ())]


def test_a_credential_no_track_names_is_allowed_and_owes_nothing(program):
    program.write_config(certifications=[("W1", "AZ-PSS", "2024-03-15", "")])
    assert load_config(program.config).certifications[0]["credential"] == "AZ-PSS"


@pytest.mark.parametrize(
    "certifications, message",
    [
        ([("W1", "PA-CPS", "2024-03-15", ""), ("W1", "PA-CPS", "2025-01-01", "")], "line 3: W1 holds 'PA-CPS'"),
        ([("W9", "PA-CPS", "2024-03-15", "")], "line 2: worker_id 'W9' is not in the roster"),
        ([("W1", "PA-CPS", "15/03/2024", "")], "certified_on: '15/03/2024' is not a YYYY-MM-DD date"),
        ([("W1", "PA-CPS", "", "")], "certified_on is empty"),
        ([("W1", "", "2024-03-15", "")], "credential is empty"),
        ([("W1", "PA-CPS", "2024-03-15", "2023-01-01")], "expires_on is before certified_on"),
    ],
    ids=["duplicated", "unknown worker", "bad date", "no date", "no credential", "expires before"],
)
def test_a_bad_certification_row_is_one_line(program, certifications, message):
    program.write_config(certifications=certifications)
    assert message in refusal(program)


def test_a_certifications_file_with_a_missing_column_is_one_line(program):
    (program.config / "certifications.csv").write_text("worker_id,credential,certified_on\nW1,PA-CPS,2024-03-15\n")
    assert "certifications.csv: missing column 'expires_on'" in refusal(program)


def test_a_catalog_topic_that_is_not_a_lowercase_word_is_one_line(program):
    program.write_config(catalog=[(*CATALOG[0], "Ethics")])
    assert "topic 'Ethics' is not a lowercase word" in refusal(program)


@pytest.mark.parametrize(
    "tracks, message",
    [
        ("  - {name: a, credential: X, hours: 20, caps: [{name: c, kinds: [podcast], hours: 5}]}\n",
         "tracks.0.caps.0.kinds.0: 'podcast' is not one of"),
        ("  - {name: a, credential: X, hours: 20, cycle: {months: 0}}\n", "tracks.0.cycle.months: 0 is less than"),
        ("  - {name: a, credential: X, hours: 20, cycle: {anchor: next_june}}\n", "tracks.0.cycle.anchor"),
        ("  - {name: a, credential: X, hours: 20, cycle: {anchor: 2025-02-30}}\n",
         "tracks.0.cycle.anchor: '2025-02-30' is not a YYYY-MM-DD date"),
        ("  - {name: a, credential: X, hours: 20, minimums: [{name: ethics, hours: 3}]}\n",
         "tracks.0.minimums.0: 'topics' is a required property"),
        ("  - {name: a, credential: X, hours: 20, minimums: [{name: ethics, topics: [], hours: 3}]}\n",
         "tracks.0.minimums.0.topics"),
        ("  - {name: a, credential: X, hours: 20}\n  - {name: a, credential: Y, hours: 10}\n",
         "tracks.1.name: track 'a' appears twice"),
        ("  - {name: a, credential: X}\n", "tracks.0: 'hours' is a required property"),
        ("  - {name: a, credential: X, hours: 20, approval: state}\n", "tracks.0.approval"),
        ("  - {name: a, credential: X, hours: 20, caps: [{name: c, hours: 5}]}\n", "tracks.0.caps.0"),
    ],
    ids=["unknown kind", "zero months", "word anchor", "no such day", "minimum without topics",
         "empty topics", "track twice", "no hours", "unknown approval", "cap matching nothing"],
)  # fmt: skip
def test_a_track_that_cannot_be_followed_is_one_line(program, tracks, message):
    program.write_config(policy=POLICY + "tracks:\n" + tracks)
    assert message in refusal(program)
