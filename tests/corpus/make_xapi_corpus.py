"""Writes xapi_valid.json and xapi_invalid.json: the statements schemas/xapi-statement.schema.json
must accept, and those it must refuse, each invalid one with the JSON pointer its violation
is reported at (see pipelines/statement_schema.py for the pointer conventions: the value at
fault; the object for a missing key or an Agent's identifiers; the key itself for an unknown
key or a bad language-map or extension key). Deterministic; run it after editing:
`python tests/corpus/make_xapi_corpus.py`.

Forms taken from public sources (written here anew, shapes and values as there):
- ADL's xAPI specification (adlnet/xAPI-Spec, xAPI-Data.md): the simple and long example
  statements, the SubStatement "planned to visit" example, voiding, attachments, the
  interaction types and their components, the Agent/Group and language-map rules.
- ADL's LRS conformance suite (adlnet/lrs-conformance-test-suite, test/v1_0_3/templates and
  the v2_0 requirements): the authority Group of an OAuth consumer and a user, the
  identified and anonymous groups, attachments = [], context revision or platform on a
  SubStatement whose object is a Group (refused), a non-string platform (refused).
- The cmi5 specification (AICC/CMI-5_Spec_Current, samples/ and json/samples/): the
  satisfied, completed, passed, failed, waived, launched, initialized, terminated and
  abandoned statements with their sessionid, masteryscore, launchmode and reason
  extensions and the cmi5 and moveon categories.
- Nested SubStatements refused as in the Scala xAPI library's tests (a SubStatement
  whose object is a SubStatement).
"""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
NS = uuid.UUID("0b6f6a1e-5c8e-4d1b-9a57-3c1d2a7e9f00")
ADL = "http://adlnet.gov/expapi/verbs/"
CMI5_CAT = {"objectType": "Activity", "id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}
MOVEON_CAT = {"objectType": "Activity", "id": "https://w3id.org/xapi/cmi5/context/categories/moveon"}
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
COURSE = "https://training.example.org/courses/active-listening"
SHA256 = "672fa5fa658017f1b72d65036f13379c6ab05d4ab3b6664908d8acf0b6a0c634"

AGENT = {"objectType": "Agent", "name": "Ann Peer", "mbox": "mailto:ann.peer@va.example.gov"}
BASE = {
    "id": "6f0f4a4e-2f6c-4c39-9d84-5b2f8e2b3f10",
    "actor": AGENT,
    "verb": {"id": ADL + "completed", "display": {"en-US": "completed"}},
    "object": {"objectType": "Activity", "id": COURSE},
    "timestamp": "2026-01-05T15:00:00Z",
    "version": "1.0.3",
}
GROUP = {
    "objectType": "Group",
    "name": "Peer support team",
    "member": [
        {"objectType": "Agent", "mbox": "mailto:ann.peer@va.example.gov"},
        {"account": {"homePage": "https://lms.example.org", "name": "bo.lee"}},
    ],
}
STATEMENT_REF = {"objectType": "StatementRef", "id": "e5a5e1bd-4c5a-4c39-9f7a-1a1b2c3d4e5f"}
SUBSTATEMENT = {
    "objectType": "SubStatement",
    "actor": {"objectType": "Agent", "mbox": "mailto:test@example.com"},
    "verb": {"id": "http://example.com/visited", "display": {"en-US": "will visit"}},
    "object": {"id": "http://example.com/website", "definition": {"name": {"en-US": "Some Awesome Website"}}},
}
ATTACHMENT = {
    "usageType": "http://adlnet.gov/expapi/attachments/signature",
    "display": {"en-US": "Signature"},
    "description": {"en-US": "A test signature"},
    "contentType": "application/octet-stream",
    "length": 4235,
    "sha2": SHA256,
}
INTERACTION = {
    "name": {"en-US": "Question 1"},
    "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "interactionType": "choice",
    "correctResponsesPattern": ["golf[,]tetris"],
    "choices": [
        {"id": "golf", "description": {"en-US": "Golf Example"}},
        {"id": "tetris", "description": {"en-US": "Tetris Example"}},
    ],
}
LONG = {  # the spec's long example, trimmed to celedger's domain
    "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
    "actor": {
        "name": "Team PB",
        "mbox": "mailto:teampb@example.com",
        "member": [
            {
                "name": "Andrew Downes",
                "account": {"homePage": "http://www.example.com", "name": "13936749"},
                "objectType": "Agent",
            },
            {"name": "Toby Nichols", "openid": "http://toby.openid.example.org/", "objectType": "Agent"},
            {"name": "Ena Hills", "mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9", "objectType": "Agent"},
        ],
        "objectType": "Group",
    },
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-GB": "attended", "en-US": "attended"}},
    "result": {
        "extensions": {
            "http://example.com/profiles/meetings/resultextensions/minuteslocation": "X:\\meetings\\minutes"
        },
        "success": True,
        "completion": True,
        "response": "We agreed on some example actions.",
        "duration": "PT1H0M0S",
    },
    "context": {
        "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "contextActivities": {
            "parent": [{"id": "http://www.example.com/meetings/series/267", "objectType": "Activity"}],
            "category": [
                {
                    "id": "http://www.example.com/meetings/categories/teammeeting",
                    "objectType": "Activity",
                    "definition": {
                        "name": {"en": "team meeting"},
                        "description": {"en": "A category of meeting used for regular team meets."},
                        "type": "http://example.com/expapi/activities/meetingcategory",
                    },
                }
            ],
            "other": [{"id": "http://www.example.com/meetings/occurances/34257", "objectType": "Activity"}],
        },
        "language": "en",
        "instructor": {
            "name": "Andrew Downes",
            "account": {"homePage": "http://www.example.com", "name": "13936749"},
            "objectType": "Agent",
        },
        "team": {"name": "Team PB", "mbox": "mailto:teampb@example.com", "objectType": "Group"},
        "platform": "Example virtual meeting software",
        "statement": {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"},
    },
    "timestamp": "2013-05-18T05:32:34.804+00:00",
    "stored": "2013-05-18T05:32:34.804+00:00",
    "authority": {"account": {"homePage": "http://cloud.scorm.com/", "name": "anonymous"}, "objectType": "Agent"},
    "version": "1.0.0",
    "object": {
        "id": "http://www.example.com/meetings/occurances/34534",
        "definition": {
            "extensions": {
                "http://example.com/profiles/meetings/activitydefinitionextensions/room": {
                    "name": "Kilby",
                    "id": "http://example.com/rooms/342",
                }
            },
            "name": {"en-GB": "example meeting", "en-US": "example meeting"},
            "description": {
                "en-GB": "An example meeting that happened on a specific occasion with certain people present.",
                "en-US": "An example meeting that happened on a specific occasion with certain people present.",
            },
            "type": "http://adlnet.gov/expapi/activities/meeting",
            "moreInfo": "http://virtualmeeting.example.com/345256",
        },
        "objectType": "Activity",
    },
}


def sid(name: str) -> str:
    return str(uuid.uuid5(NS, name))


def split(pointer: str) -> list[str | int]:
    parts: list[str | int] = []
    for raw in pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        parts.append(int(part) if part.isdigit() else part)
    return parts


DROP = object()


def edit(statement: dict, changes: dict[str, object]) -> dict:
    """A deep copy with each pointer set (or dropped with DROP); objects on the way are made."""
    statement = copy.deepcopy(statement)
    for at, value in changes.items():
        *parents, leaf = split(at)
        target = statement
        for key in parents:
            if isinstance(target, dict) and key not in target:
                target[key] = {}
            target = target[key]
        if value is DROP:
            del target[leaf]
        elif isinstance(target, list) and leaf == len(target):
            target.append(copy.deepcopy(value))
        else:
            target[leaf] = copy.deepcopy(value)
    return statement


def with_id(name: str, statement: dict) -> dict:
    if "id" in statement and statement["id"] == BASE["id"]:
        statement = {**statement, "id": sid(name)}
    return statement


# -- valid ---------------------------------------------------------------------------------


def cmi5(verb: str, name: str, result: dict | None = None, moveon: bool = True, extra: dict | None = None) -> dict:
    context = {
        "registration": "839b7078-b3f2-499f-8628-d1a83039a375",
        "contextActivities": {
            "category": [CMI5_CAT, MOVEON_CAT] if moveon else [CMI5_CAT],
            "grouping": [
                {"objectType": "Activity", "id": "http://course-repository.example.edu/identifiers/courses/02baafcf"}
            ],
        },
        "extensions": {SESSION: "676e5ebd-8a80-4868-b952-42c385b50541", **(extra or {})},
    }
    statement = {
        "id": sid("cmi5 " + name),
        "actor": {
            "objectType": "Agent",
            "name": "Learner's Name",
            "account": {"homePage": "http://example.org/", "name": "Learner"},
        },
        "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[1]}},
        "object": {
            "objectType": "Activity",
            "id": "http://example.org/cmi5/au-lms-id/4756b42214cb0cb4825b3c9b5c15053d6a6cf7f5",
            "definition": {
                "name": {"en-US": "Introduction to Geology"},
                "type": "https://w3id.org/xapi/cmi5/activitytype/block",
            },
        },
        "context": context,
        "timestamp": "2016-06-09T17:13:46.345Z",
    }
    if result is not None:
        statement["result"] = result
    return statement


def valid_cases() -> list[tuple[str, dict]]:
    cases: list[tuple[str, dict]] = [("the base statement", BASE), ("the spec's long example", LONG)]
    cases.append(
        (
            "the spec's simple example",
            {
                "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0",
                "timestamp": "2015-11-18T12:17:00+00:00",
                "actor": {"objectType": "Agent", "name": "Project Tin Can API", "mbox": "mailto:user@example.com"},
                "verb": {"id": "http://example.com/xapi/verbs#sent-a-statement", "display": {"en-US": "sent"}},
                "object": {
                    "id": "http://example.com/xapi/activity/simplestatement",
                    "definition": {
                        "name": {"en-US": "simple statement"},
                        "description": {
                            "en-US": "A simple Experience API statement. Note that the LRS does not need to have any "
                            "prior information about the Actor (learner), the verb, or the Activity/object."
                        },
                    },
                },
            },
        )
    )
    cases.append(
        (
            "the spec's SubStatement example",
            {
                "actor": {"objectType": "Agent", "mbox": "mailto:test@example.com"},
                "verb": {"id": "http://example.com/planned", "display": {"en-US": "planned"}},
                "object": SUBSTATEMENT,
            },
        )
    )
    # cmi5: every verb, with the extensions and categories the spec's samples carry
    cmi5_verbs = "https://w3id.org/xapi/adl/verbs/"
    cases += [
        (
            "cmi5 launched",
            cmi5(
                ADL + "launched",
                "launched",
                moveon=False,
                extra={
                    "https://w3id.org/xapi/cmi5/context/extensions/launchmode": "Normal",
                    "https://w3id.org/xapi/cmi5/context/extensions/moveon": "CompletedOrPassed",
                    "https://w3id.org/xapi/cmi5/context/extensions/launchurl": "https://au.example.org/index.html",
                    "https://w3id.org/xapi/cmi5/context/extensions/launchparameters": "",
                },
            ),
        ),
        ("cmi5 initialized", cmi5(ADL + "initialized", "initialized", moveon=False)),
        ("cmi5 completed", cmi5(ADL + "completed", "completed", {"completion": True, "duration": "PT19.93S"})),
        (
            "cmi5 passed",
            cmi5(
                ADL + "passed",
                "passed",
                {"success": True, "duration": "PT4M25S", "score": {"scaled": 0.85}},
                extra={"https://w3id.org/xapi/cmi5/context/extensions/masteryscore": 0.8},
            ),
        ),
        (
            "cmi5 failed",
            cmi5(
                ADL + "failed",
                "failed",
                {"success": False, "duration": "PT2M", "score": {"scaled": 0.4, "raw": 4, "min": 0, "max": 10}},
                extra={"https://w3id.org/xapi/cmi5/context/extensions/masteryscore": 0.8},
            ),
        ),
        ("cmi5 satisfied", cmi5(cmi5_verbs + "satisfied", "satisfied")),
        (
            "cmi5 waived",
            cmi5(
                cmi5_verbs + "waived",
                "waived",
                {
                    "success": True,
                    "completion": True,
                    "extensions": {"https://w3id.org/xapi/cmi5/result/extensions/reason": "Tested Out"},
                },
            ),
        ),
        ("cmi5 abandoned", cmi5(cmi5_verbs + "abandoned", "abandoned", {"duration": "PT36M"}, moveon=False)),
        ("cmi5 terminated", cmi5(ADL + "terminated", "terminated", {"duration": "PT1H3M"}, moveon=False)),
        (
            "cmi5 progressed",
            cmi5(
                "http://adlnet.gov/expapi/verbs/progressed",
                "progressed",
                {"extensions": {"https://w3id.org/xapi/cmi5/result/extensions/progress": 50}},
                moveon=False,
            ),
        ),
        (
            "cmi5 satisfied a course (sample 01)",
            edit(
                cmi5(cmi5_verbs + "satisfied", "course"),
                {
                    "/object/definition/type": "https://w3id.org/xapi/cmi5/activitytype/course",
                    "/context/contextActivities": {"category": [CMI5_CAT]},
                },
            ),
        ),
        ("cmi5 verb display in und", edit(cmi5(ADL + "completed", "und"), {"/verb/display": {"und": "completed"}})),
    ]
    # every object type
    cases += [
        ("an Agent as object", edit(BASE, {"/object": {"objectType": "Agent", "mbox": "mailto:bo@example.org"}})),
        (
            "an identified Group as object",
            edit(BASE, {"/object": {"objectType": "Group", "openid": "http://group.example.org/"}}),
        ),
        ("an anonymous Group as object", edit(BASE, {"/object": GROUP})),
        ("a StatementRef object", edit(BASE, {"/verb/id": "http://example.com/verbs/liked", "/object": STATEMENT_REF})),
        (
            "a SubStatement with result, context and timestamp",
            edit(
                BASE,
                {
                    "/object": {
                        **SUBSTATEMENT,
                        "result": {"completion": True},
                        "timestamp": "2026-01-05T15:00:00Z",
                        "context": {
                            "platform": "LMS",
                            "revision": "2",
                            "contextActivities": {"parent": {"id": COURSE}},
                        },
                    }
                },
            ),
        ),
        (
            "a SubStatement whose object is a StatementRef",
            edit(BASE, {"/object": {**SUBSTATEMENT, "object": STATEMENT_REF}}),
        ),
        (
            "a SubStatement whose object is an Agent",
            edit(
                BASE,
                {
                    "/object": {
                        **SUBSTATEMENT,
                        "object": {"objectType": "Agent", "mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"},
                    }
                },
            ),
        ),
        ("a SubStatement with attachments", edit(BASE, {"/object": {**SUBSTATEMENT, "attachments": [ATTACHMENT]}})),
        ("an Activity without objectType", edit(BASE, {"/object": {"id": COURSE}})),
        (
            "a voiding statement",
            edit(BASE, {"/verb": {"id": ADL + "voided", "display": {"en-US": "voided"}}, "/object": STATEMENT_REF}),
        ),
        ("a Group actor (anonymous)", edit(BASE, {"/actor": GROUP})),
        (
            "a Group actor with no members listed but an identifier",
            edit(
                BASE,
                {
                    "/actor": {
                        "objectType": "Group",
                        "account": {"homePage": "https://lms.example.org", "name": "team-7"},
                    }
                },
            ),
        ),
        ("an anonymous Group with an empty member list", edit(BASE, {"/actor": {"objectType": "Group", "member": []}})),
    ]
    # identifiers
    for name, ifi in [
        ("mbox", {"mbox": "mailto:ann.peer@va.example.gov"}),
        ("mbox in capitals", {"mbox": "MAILTO:Ann.Peer@VA.example.gov"}),
        ("mbox_sha1sum", {"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"}),
        ("upper-case mbox_sha1sum", {"mbox_sha1sum": "EBD31E95054C018B10727CCFFD2EF2EC3A016EE9"}),
        ("openid", {"openid": "http://toby.openid.example.org/"}),
        ("account", {"account": {"homePage": "http://www.example.com", "name": "13936749"}}),
        ("account with an empty name", {"account": {"homePage": "http://www.example.com", "name": ""}}),
    ]:
        cases.append((f"an Agent with {name}", edit(BASE, {"/actor": {"name": "X", **ifi}})))
    # authority (the conformance suite's OAuth group)
    cases.append(
        (
            "an OAuth authority Group",
            edit(
                BASE,
                {
                    "/authority": {
                        "objectType": "Group",
                        "member": [
                            {
                                "account": {
                                    "homePage": "http://example.com/xAPI/OAuth/Token",
                                    "name": "oauth_consumer_x75db",
                                }
                            },
                            {"mbox": "mailto:bob_authority@example.com"},
                        ],
                    },
                    "/stored": "2026-01-05T15:00:05Z",
                },
            ),
        )
    )
    # timestamps
    for ts in [
        "2026-01-05T15:00:00Z",
        "2026-01-05T15:00:00.123456789Z",
        "2026-01-05T15:00Z",
        "2026-01-05T15:00:00",
        "2026-01-05T15:00:00+14:00",
        "2026-01-05T15:00:00-14:00",
        "2026-01-05T15:00:00+05:30",
        "2026-01-05T15:00:00-00:30",
        "2026-01-05T15:00:00+0100",
        "2026-01-05T15:00:00-03",
        "2026-01-05T15:00:00+00:00",
    ]:
        cases.append((f"timestamp {ts}", edit(BASE, {"/timestamp": ts})))
    cases.append(("stored without timestamp", edit(BASE, {"/timestamp": DROP, "/stored": "2026-01-05T15:00:05Z"})))
    cases.append(("neither timestamp nor stored", edit(BASE, {"/timestamp": DROP})))
    # durations
    for d in [
        "PT1H",
        "P1W",
        "P4W",
        "PT0S",
        "P1Y2M3DT4H5M6.5S",
        "PT0.5S",
        "P1DT12H",
        "PT1,5H",
        "PT90M",
        "P0D",
        "PT1H30M15.25S",
    ]:
        cases.append((f"duration {d}", edit(BASE, {"/result/duration": d})))
    # language tags
    for tag in [
        "en",
        "en-US",
        "zh-Hant-TW",
        "sr-Latn-RS",
        "es-419",
        "und",
        "i-klingon",
        "x-private",
        "de-CH-1996",
        "en-GB-oed",
        "zh-cmn-Hans-CN",
        "en-a-bbb-x-a-ccc",
        "EN-us",
    ]:
        cases.append(
            (f"language tag {tag}", edit(BASE, {"/verb/display": {tag: "completed"}, "/context/language": tag}))
        )
    # versions
    for v in ["1.0", "1.0.0", "1.0.3", "2.0", "2.0.0"]:
        cases.append((f"version {v}", edit(BASE, {"/version": v})))
    cases.append(("no version", edit(BASE, {"/version": DROP})))
    # xAPI 2.0 context
    two = edit(BASE, {"/version": "2.0.0"})
    cases += [
        (
            "2.0 contextAgents",
            edit(
                two,
                {
                    "/context/contextAgents": [
                        {
                            "objectType": "contextAgent",
                            "agent": {"mbox": "mailto:sup@example.org"},
                            "relevantTypes": ["https://example.org/types/supervisor"],
                        }
                    ]
                },
            ),
        ),
        (
            "2.0 contextAgents without relevantTypes",
            edit(
                two,
                {
                    "/context/contextAgents": [
                        {
                            "objectType": "contextAgent",
                            "agent": {"objectType": "Agent", "mbox": "mailto:sup@example.org"},
                        }
                    ]
                },
            ),
        ),
        (
            "2.0 contextGroups",
            edit(
                two,
                {
                    "/context/contextGroups": [
                        {
                            "objectType": "contextGroup",
                            "group": GROUP,
                            "relevantTypes": ["https://example.org/types/cohort"],
                        }
                    ]
                },
            ),
        ),
        (
            "2.0 contextAgents in a statement without version",
            edit(
                BASE,
                {
                    "/version": DROP,
                    "/context/contextAgents": [
                        {"objectType": "contextAgent", "agent": {"mbox": "mailto:sup@example.org"}}
                    ],
                },
            ),
        ),
        (
            "2.0 contextActivities as arrays",
            edit(
                two,
                {
                    "/context/contextActivities": {
                        "parent": [{"id": COURSE}],
                        "grouping": [{"id": COURSE + "/series"}],
                        "category": [{"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}],
                        "other": [],
                    }
                },
            ),
        ),
    ]
    # context
    cases += [
        (
            "contextActivities as single objects",
            edit(
                BASE,
                {
                    "/context/contextActivities": {
                        "parent": {"id": COURSE},
                        "grouping": {"objectType": "Activity", "id": COURSE + "/series"},
                    }
                },
            ),
        ),
        ("context with a Group instructor", edit(BASE, {"/context/instructor": GROUP})),
        (
            "context with a team and registration",
            edit(BASE, {"/context/team": GROUP, "/context/registration": sid("reg")}),
        ),
        ("context statement ref", edit(BASE, {"/context/statement": STATEMENT_REF})),
        (
            "context extensions of every JSON type",
            edit(
                BASE,
                {
                    "/context/extensions": {
                        "https://example.org/x/a": 1,
                        "https://example.org/x/b": None,
                        "https://example.org/x/c": [1, "a"],
                        "urn:example:d": {"nested": True},
                    }
                },
            ),
        ),
        (
            "revision and platform with an Activity",
            edit(BASE, {"/context/revision": "3", "/context/platform": "Example LMS"}),
        ),
    ]
    # result
    for name, score in [
        ("scaled -1", {"scaled": -1}),
        ("scaled 1", {"scaled": 1}),
        ("scaled 0", {"scaled": 0}),
        ("raw at min", {"raw": 0, "min": 0, "max": 5}),
        ("raw at max", {"raw": 5, "min": 0, "max": 5}),
        ("min = max", {"min": 3, "max": 3}),
        ("negative raw", {"raw": -2.5, "min": -5}),
        ("raw without bounds", {"raw": 12345.678}),
    ]:
        cases.append((f"score {name}", edit(BASE, {"/result/score": score})))
    cases.append(
        (
            "result with every key",
            edit(
                BASE,
                {
                    "/result": {
                        "score": {"scaled": 0.95, "raw": 95, "min": 0, "max": 100},
                        "success": True,
                        "completion": True,
                        "response": "yes",
                        "duration": "PT4H35M59.14S",
                        "extensions": {
                            "http://example.com/profiles/meetings/resultextensions/minuteslocation": "X:\\m"
                        },
                    }
                },
            ),
        )
    )
    # attachments
    cases += [
        ("an attachment", edit(BASE, {"/attachments": [ATTACHMENT]})),
        (
            "an attachment with a fileUrl and a SHA-512",
            edit(
                BASE,
                {
                    "/attachments": [
                        {
                            **ATTACHMENT,
                            "fileUrl": "https://files.example.org/cert.pdf",
                            "contentType": "application/pdf",
                            "sha2": "ab" * 64,
                        }
                    ]
                },
            ),
        ),
        (
            "an attachment with a media type parameter",
            edit(BASE, {"/attachments": [{**ATTACHMENT, "contentType": "text/plain; charset=utf-8", "length": 0}]}),
        ),
        ("an empty attachments array", edit(BASE, {"/attachments": []})),
        ("two attachments", edit(BASE, {"/attachments": [ATTACHMENT, {**ATTACHMENT, "sha2": "cd" * 28}]})),
    ]
    # activity definitions: each interaction type with its components
    comps = [{"id": "a", "description": {"en-US": "A"}}, {"id": "b"}]
    for kind, extra in [
        ("true-false", {"correctResponsesPattern": ["true"]}),
        ("choice", {"choices": comps, "correctResponsesPattern": ["a[,]b"]}),
        ("fill-in", {"correctResponsesPattern": ["Bob's your uncle"]}),
        ("long-fill-in", {"correctResponsesPattern": ["{case_matters=false}{lang=en}To store and provide access"]}),
        ("matching", {"source": comps, "target": comps, "correctResponsesPattern": ["a[.]b"]}),
        ("performance", {"steps": comps, "correctResponsesPattern": ["a[.]1[:]2"]}),
        ("sequencing", {"choices": comps, "correctResponsesPattern": ["a[,]b"]}),
        ("likert", {"scale": comps, "correctResponsesPattern": ["a"]}),
        ("numeric", {"correctResponsesPattern": ["4[:]"]}),
        ("other", {"correctResponsesPattern": ["(35.937432,-86.868896)"]}),
        ("likert without a scale", {}),
    ]:
        cases.append(
            (
                f"an interaction: {kind}",
                edit(
                    BASE,
                    {
                        "/object/definition": {
                            "name": {"en-US": "Question"},
                            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                            "interactionType": kind.split()[0],
                            **extra,
                        }
                    },
                ),
            )
        )
    cases += [
        ("the spec's choice interaction", edit(BASE, {"/object/definition": INTERACTION})),
        (
            "an activity definition with moreInfo and extensions",
            edit(
                BASE,
                {
                    "/object/definition": {
                        "moreInfo": "https://training.example.org/info",
                        "extensions": {"https://example.org/ext/hours": 1.5},
                    }
                },
            ),
        ),
        ("an empty activity definition", edit(BASE, {"/object/definition": {}})),
        ("an urn activity id", edit(BASE, {"/object/id": "urn:uuid:" + sid("urn")})),
        ("an IRI with non-ASCII letters", edit(BASE, {"/object/id": "https://training.example.org/cours/écoute"})),
        ("an IRI with a query and fragment", edit(BASE, {"/object/id": COURSE + "?a=1&b=%20#part-2"})),
        ("an upper-case UUID", edit(BASE, {"/id": sid("upper").upper()})),
        ("a verb without display", edit(BASE, {"/verb": {"id": ADL + "completed"}})),
        ("no id", edit(BASE, {"/id": DROP})),
        ("an Agent without objectType or name", edit(BASE, {"/actor": {"mbox": "mailto:x@example.org"}})),
        (
            "a verb display in three languages",
            edit(BASE, {"/verb/display": {"en-US": "completed", "fr-CA": "terminé", "es": "completó"}}),
        ),
    ]
    return [(name, with_id(name, statement)) for name, statement in cases]


# -- invalid -------------------------------------------------------------------------------

BAD_IRIS = {
    "no scheme": "example.org/a",
    "a space": "http://example.org/a b",
    "a tab": "http://example.org/a\tb",
    "a no-break space": "http://example.org/a\u00a0b",
    "an ideographic space": "http://example.org/a\u3000b",
    "a <": "http://example.org/<a>",
    'a "': 'http://example.org/"a',
    "a {": "http://example.org/{a}",
    "a |": "http://example.org/a|b",
    "a backslash": "http://example.org/a\\b",
    "a ^": "http://example.org/a^b",
    "a backtick": "http://example.org/a`b",
    "nothing after the scheme": "http:",
    "a scheme starting with a digit": "1http://example.org/",
    "an empty string": "",
    "a control character": "http://example.org/a\u0007",
}
BAD_UUIDS = {
    "not hex": "6f0f4a4e-2f6c-4c39-9d84-5b2f8e2b3fzz",
    "no hyphens": "6f0f4a4e2f6c4c399d845b2f8e2b3f10",
    "braces": "{6f0f4a4e-2f6c-4c39-9d84-5b2f8e2b3f10}",
    "too short": "6f0f4a4e-2f6c-4c39-9d84-5b2f8e2b3f1",
    "a number": 12345,
    "a urn": "urn:uuid:6f0f4a4e-2f6c-4c39-9d84-5b2f8e2b3f10",
}
BAD_TIMESTAMPS = {
    "-00:00": "2026-01-05T15:00:00-00:00",
    "+15:00": "2026-01-05T15:00:00+15:00",
    "+14:30": "2026-01-05T15:00:00+14:30",
    "-14:01": "2026-01-05T15:00:00-14:01",
    "a space for the T": "2026-01-05 15:00:00Z",
    "a date only": "2026-01-05",
    "US notation": "05/14/2026 2:03 PM",
    "basic format": "20260105T150000Z",
    "a one-digit month": "2026-1-05T15:00:00Z",
    "a number": 1767625200,
    "a lower-case z": "2026-01-05T15:00:00z",
}
BAD_DURATIONS = {
    "P4W1": "P4W1",
    # ISO 8601's weeks form stands alone: PnW, never beside years, months, days or a time
    "weeks with days": "P4W1D",
    "weeks with hours": "P1WT2H",
    "years with weeks": "P1Y2W",
    "P alone": "P",
    "PT alone": "PT",
    "no P": "T1H",
    "a fraction before the last number": "PT1.5H30M",
    "hours outside T": "P1H",
    "lower case": "pt1h",
    "a negative": "-PT1H",
    "a number": 3600,
    "P1DT": "P1DT",
    "seconds as minutes": "PT1S1M",
    "Arabic-Indic digits": "PT\u0661H",
}
BAD_TAGS = {
    "an underscore": "en_US",
    "a nine-letter word": "languages",
    "one letter": "e",
    "empty": "",
    "a trailing hyphen": "en-",
    "digits": "123",
    "a long subtag": "en-abcdefghi",
    "a space": "en US",
}


def invalid_cases() -> list[tuple[str, dict, str]]:
    cases: list[tuple[str, dict, str]] = []

    def bad(name: str, base: dict, changes: dict, pointer: str) -> None:
        cases.append((name, edit(base, changes), pointer))

    sub = edit(BASE, {"/object": SUBSTATEMENT})
    with_context_activity = edit(BASE, {"/context/contextActivities/parent": [{"id": COURSE}]})
    with_attachment = edit(BASE, {"/attachments": [ATTACHMENT]})
    two = edit(
        BASE,
        {
            "/version": "2.0.0",
            "/context/contextAgents": [
                {
                    "objectType": "contextAgent",
                    "agent": {"mbox": "mailto:s@example.org"},
                    "relevantTypes": ["https://example.org/t"],
                }
            ],
        },
    )
    # IRIs, wherever one is
    iri_places = [
        ("verb id", BASE, "/verb/id"),
        ("activity id", BASE, "/object/id"),
        ("activity type", BASE, "/object/definition/type"),
        ("moreInfo", BASE, "/object/definition/moreInfo"),
        ("openid", edit(BASE, {"/actor": {"openid": "http://openid.example.org/"}}), "/actor/openid"),
        (
            "account homePage",
            edit(BASE, {"/actor": {"account": {"homePage": "http://x.example", "name": "n"}}}),
            "/actor/account/homePage",
        ),
        ("context parent id", with_context_activity, "/context/contextActivities/parent/0/id"),
        ("attachment usageType", with_attachment, "/attachments/0/usageType"),
        ("attachment fileUrl", with_attachment, "/attachments/0/fileUrl"),
        ("relevantTypes item", two, "/context/contextAgents/0/relevantTypes/0"),
        ("SubStatement verb id", sub, "/object/verb/id"),
    ]
    for where, base, at in iri_places:
        for what, value in BAD_IRIS.items():
            bad(f"{where} with {what}", base, {at: value}, at)
    for what in ["a space", "no scheme", "a <"]:
        bad(
            f"an extension key with {what}",
            BASE,
            {"/result/extensions": {BAD_IRIS[what]: 1}},
            "/result/extensions/" + BAD_IRIS[what].replace("~", "~0").replace("/", "~1"),
        )
    bad(
        "a context extension key that is no IRI",
        BASE,
        {"/context/extensions": {"sessionid": "x"}},
        "/context/extensions/sessionid",
    )
    bad(
        "an activity extension key that is no IRI",
        BASE,
        {"/object/definition/extensions": {"room": "x"}},
        "/object/definition/extensions/room",
    )
    bad("extensions that are an array", BASE, {"/result/extensions": ["https://example.org/x"]}, "/result/extensions")
    bad("a verb id that is a number", BASE, {"/verb/id": 7}, "/verb/id")
    # UUIDs
    for where, base, at in [
        ("statement id", BASE, "/id"),
        ("registration", BASE, "/context/registration"),
        ("StatementRef id", edit(BASE, {"/object": STATEMENT_REF}), "/object/id"),
        ("context statement id", edit(BASE, {"/context/statement": STATEMENT_REF}), "/context/statement/id"),
    ]:
        for what, value in BAD_UUIDS.items():
            bad(f"{where}: {what}", base, {at: value}, at)
    # timestamps
    for where, base, at in [
        ("timestamp", BASE, "/timestamp"),
        ("stored", BASE, "/stored"),
        ("SubStatement timestamp", sub, "/object/timestamp"),
    ]:
        for what, value in BAD_TIMESTAMPS.items():
            bad(f"{where} {what}", base, {at: value}, at)
    # durations
    for what, value in BAD_DURATIONS.items():
        bad(f"duration {what}", BASE, {"/result/duration": value}, "/result/duration")
    bad("SubStatement duration P4W1", sub, {"/object/result/duration": "P4W1"}, "/object/result/duration")
    # language maps
    for where, base, at in [
        ("verb display", BASE, "/verb/display"),
        ("activity name", BASE, "/object/definition/name"),
        ("activity description", BASE, "/object/definition/description"),
        ("attachment display", with_attachment, "/attachments/0/display"),
    ]:
        for what, tag in BAD_TAGS.items():
            bad(f"{where} key {what}", base, {at: {tag: "x"}}, f"{at}/{tag}")
        bad(f"{where} value a number", base, {at: {"en-US": 1}}, f"{at}/en-US")
        bad(f"{where} value null", base, {at: {"en-US": None}}, f"{at}/en-US")
        bad(f"{where} a string", base, {at: "completed"}, at)
    for what, tag in BAD_TAGS.items():
        bad(f"context language {what}", BASE, {"/context/language": tag}, "/context/language")
    bad(
        "interaction component description key",
        edit(BASE, {"/object/definition": INTERACTION}),
        {"/object/definition/choices/0/description": {"en_US": "Golf"}},
        "/object/definition/choices/0/description/en_US",
    )
    # Agents wherever one is
    agent_places = [
        ("actor", BASE, "/actor"),
        ("Agent object", edit(BASE, {"/object": {**AGENT}}), "/object"),
        ("instructor", edit(BASE, {"/context/instructor": AGENT}), "/context/instructor"),
        ("group member", edit(BASE, {"/actor": {**GROUP, "member": [AGENT]}}), "/actor/member/0"),
        ("authority", edit(BASE, {"/authority": AGENT}), "/authority"),
        ("contextAgent agent", edit(two, {"/context/contextAgents/0/agent": AGENT}), "/context/contextAgents/0/agent"),
        ("SubStatement actor", edit(sub, {"/object/actor": AGENT}), "/object/actor"),
    ]
    for where, base, at in agent_places:
        bad(f"{where} without an identifier", base, {at + "/mbox": DROP}, at)
        bad(f"{where} with two identifiers", base, {at + "/openid": "http://openid.example.org/"}, at)
        bad(f"{where} mbox without mailto", base, {at + "/mbox": "ann@example.org"}, at + "/mbox")
        bad(f"{where} mbox without @", base, {at + "/mbox": "mailto:ann.example.org"}, at + "/mbox")
        bad(f"{where} mbox with a space", base, {at + "/mbox": "mailto:ann peer@example.org"}, at + "/mbox")
        bad(f"{where} name a number", base, {at + "/name": 5}, at + "/name")
        bad(
            f"{where} mis-cased key Mbox",
            base,
            {at + "/mbox": DROP, at + "/Mbox": "mailto:a@example.org", at + "/openid": "http://o.example.org/"},
            at + "/Mbox",
        )
        bad(f"{where} unknown key", base, {at + "/email": "a@example.org"}, at + "/email")
    for where, base, at in agent_places[:2]:
        bad(
            f"{where} mbox_sha1sum too short",
            base,
            {at + "/mbox": DROP, at + "/mbox_sha1sum": "abc"},
            at + "/mbox_sha1sum",
        )
        bad(
            f"{where} mbox_sha1sum not hex",
            base,
            {at + "/mbox": DROP, at + "/mbox_sha1sum": "g" * 40},
            at + "/mbox_sha1sum",
        )
        bad(f"{where} mbox a number", base, {at + "/mbox": 1}, at + "/mbox")
        bad(
            f"{where} account without name",
            base,
            {at + "/mbox": DROP, at + "/account": {"homePage": "http://x.io"}},
            at + "/account",
        )
        bad(
            f"{where} account without homePage",
            base,
            {at + "/mbox": DROP, at + "/account": {"name": "n"}},
            at + "/account",
        )
        bad(
            f"{where} account name a number",
            base,
            {at + "/mbox": DROP, at + "/account": {"homePage": "http://x.io", "name": 42}},
            at + "/account/name",
        )
        bad(
            f"{where} account unknown key",
            base,
            {at + "/mbox": DROP, at + "/account": {"homePage": "http://x.io", "name": "n", "id": 1}},
            at + "/account/id",
        )
        bad(f"{where} account a string", base, {at + "/mbox": DROP, at + "/account": "n"}, at + "/account")
        bad(f"{where} objectType lower case", base, {at + "/objectType": "agent"}, at + "/objectType")
        bad(f"{where} a string", base, {at: "mailto:a@example.org"}, at)
    bad("Agent object without objectType", BASE, {"/object": {"mbox": "mailto:a@example.org"}}, "/object/mbox")
    bad("actor objectType Person", BASE, {"/actor/objectType": "Person"}, "/actor/objectType")
    # Groups
    group_places = [
        ("Group actor", edit(BASE, {"/actor": GROUP}), "/actor"),
        ("Group object", edit(BASE, {"/object": GROUP}), "/object"),
        ("team", edit(BASE, {"/context/team": GROUP}), "/context/team"),
        (
            "contextGroup group",
            edit(two, {"/context/contextGroups": [{"objectType": "contextGroup", "group": GROUP}]}),
            "/context/contextGroups/0/group",
        ),
    ]
    for where, base, at in group_places:
        bad(f"{where} anonymous without member", base, {at + "/member": DROP}, at)
        bad(f"{where} member an object", base, {at + "/member": AGENT}, at + "/member")
        bad(
            f"{where} with a Group member",
            base,
            {at + "/member/2": {"objectType": "Group", "member": [AGENT]}},
            at + "/member/2/objectType",
        )
        bad(
            f"{where} with two identifiers",
            base,
            {at + "/mbox": "mailto:t@example.org", at + "/openid": "http://t.example.org/"},
            at,
        )
        bad(f"{where} member without an identifier", base, {at + "/member/0/mbox": DROP}, at + "/member/0")
        bad(f"{where} unknown key", base, {at + "/members": []}, at + "/members")
        bad(f"{where} name a list", base, {at + "/name": ["a"]}, at + "/name")
    bad(
        "Group openid with a space",
        edit(BASE, {"/actor": {"objectType": "Group", "openid": "http://g.org/a b"}}),
        {},
        "/actor/openid",
    )
    bad(
        "Group member a string",
        edit(BASE, {"/actor": GROUP}),
        {"/actor/member/0": "mailto:a@example.org"},
        "/actor/member/0",
    )
    bad("team that is an Agent", BASE, {"/context/team": AGENT}, "/context/team/objectType")
    bad("team without objectType", BASE, {"/context/team": {"mbox": "mailto:t@example.org"}}, "/context/team")
    bad("Group object without objectType", BASE, {"/object": {"member": [AGENT]}}, "/object/member")
    bad("authority Group of one", BASE, {"/authority": {"objectType": "Group", "member": [AGENT]}}, "/authority/member")
    bad(
        "authority Group of three",
        BASE,
        {"/authority": {**GROUP, "member": [AGENT, AGENT, AGENT]}},
        "/authority/member",
    )
    bad(
        "authority Group without members",
        BASE,
        {"/authority": {"objectType": "Group", "mbox": "mailto:t@example.org"}},
        "/authority",
    )
    # verb
    bad("verb without id", BASE, {"/verb/id": DROP}, "/verb")
    bad("verb mis-cased Id", BASE, {"/verb/Id": ADL + "completed"}, "/verb/Id")
    bad("verb unknown key", BASE, {"/verb/name": "completed"}, "/verb/name")
    bad("verb a string", BASE, {"/verb": ADL + "completed"}, "/verb")
    # statement root
    for key in ["actor", "verb", "object"]:
        bad(f"statement without {key}", BASE, {"/" + key: DROP}, "")
    bad("statement mis-cased Actor", BASE, {"/Actor": AGENT}, "/Actor")
    bad("statement unknown key", BASE, {"/objectType": "Statement"}, "/objectType")
    bad("statement with a vendor key", BASE, {"/x-vendor": 1}, "/x-vendor")
    bad("statement mis-cased TimeStamp", BASE, {"/timestamp": DROP, "/TimeStamp": "2026-01-05T15:00:00Z"}, "/TimeStamp")
    cases.append(("a statement that is an array", [BASE], ""))
    cases.append(("a statement that is a string", "statement", ""))
    # version
    for v in ["1.1", "3.0.0", "1.0.3.", "0.95", "1.0.x", "2.1.0", "v1.0.3"]:
        bad(f"version {v}", BASE, {"/version": v}, "/version")
    bad("version a number", BASE, {"/version": 1.0}, "/version")
    # object
    bad("object objectType Statement", BASE, {"/object/objectType": "Statement"}, "/object/objectType")
    bad("object objectType lower case", BASE, {"/object/objectType": "activity"}, "/object/objectType")
    bad("object a string", BASE, {"/object": COURSE}, "/object")
    bad("activity without id", BASE, {"/object/id": DROP}, "/object")
    bad("activity unknown key", BASE, {"/object/name": "course"}, "/object/name")
    bad("activity definition unknown key", BASE, {"/object/definition/title": "x"}, "/object/definition/title")
    bad("activity definition a string", BASE, {"/object/definition": "course"}, "/object/definition")
    bad("StatementRef without id", BASE, {"/object": {"objectType": "StatementRef"}}, "/object")
    bad(
        "StatementRef unknown key",
        BASE,
        {"/object": {**STATEMENT_REF, "stored": "2026-01-05T15:00:00Z"}},
        "/object/stored",
    )
    # interactions
    inter = edit(BASE, {"/object/definition": INTERACTION})
    bad(
        "interactionType unknown",
        inter,
        {"/object/definition/interactionType": "multiple-choice"},
        "/object/definition/interactionType",
    )
    bad(
        "interactionType an IRI",
        inter,
        {"/object/definition/interactionType": "http://example.org/choice"},
        "/object/definition/interactionType",
    )
    bad(
        "correctResponsesPattern a string",
        inter,
        {"/object/definition/correctResponsesPattern": "golf"},
        "/object/definition/correctResponsesPattern",
    )
    bad(
        "correctResponsesPattern item a number",
        inter,
        {"/object/definition/correctResponsesPattern": [1]},
        "/object/definition/correctResponsesPattern/0",
    )
    bad("components without interactionType", inter, {"/object/definition/interactionType": DROP}, "/object/definition")
    bad(
        "correctResponsesPattern without interactionType",
        BASE,
        {"/object/definition": {"correctResponsesPattern": ["a"]}},
        "/object/definition",
    )
    bad("component without id", inter, {"/object/definition/choices/0/id": DROP}, "/object/definition/choices/0")
    bad(
        "component id with a space",
        inter,
        {"/object/definition/choices/0/id": "go lf"},
        "/object/definition/choices/0/id",
    )
    bad("component id a number", inter, {"/object/definition/choices/0/id": 1}, "/object/definition/choices/0/id")
    bad("component unknown key", inter, {"/object/definition/choices/0/name": "x"}, "/object/definition/choices/0/name")
    bad("components an object", inter, {"/object/definition/choices": {"id": "golf"}}, "/object/definition/choices")
    comps = [{"id": "a"}]
    for kind, wrong in [
        ("choice", "scale"),
        ("choice", "steps"),
        ("sequencing", "source"),
        ("likert", "choices"),
        ("likert", "target"),
        ("matching", "choices"),
        ("matching", "steps"),
        ("performance", "scale"),
        ("performance", "source"),
        ("true-false", "choices"),
        ("fill-in", "choices"),
        ("long-fill-in", "scale"),
        ("numeric", "steps"),
        ("other", "target"),
    ]:
        bad(
            f"a {kind} interaction with {wrong}",
            BASE,
            {"/object/definition": {"interactionType": kind, wrong: comps}},
            f"/object/definition/{wrong}",
        )
    # context
    bad("context a string", BASE, {"/context": "x"}, "/context")
    bad("context unknown key", BASE, {"/context/Platform": "LMS"}, "/context/Platform")
    bad(
        "contextActivities unknown key",
        BASE,
        {"/context/contextActivities/parents": [{"id": COURSE}]},
        "/context/contextActivities/parents",
    )
    bad(
        "contextActivities parent a string",
        BASE,
        {"/context/contextActivities/parent": COURSE},
        "/context/contextActivities/parent",
    )
    bad(
        "contextActivities parent an array of strings",
        BASE,
        {"/context/contextActivities/parent": [COURSE]},
        "/context/contextActivities/parent/0",
    )
    bad(
        "contextActivities grouping without id",
        BASE,
        {"/context/contextActivities/grouping": {"objectType": "Activity"}},
        "/context/contextActivities/grouping",
    )
    bad(
        "contextActivities category an Agent",
        BASE,
        {"/context/contextActivities/category": [AGENT]},
        "/context/contextActivities/category/0/objectType",
    )
    bad(
        "contextActivities other unknown key",
        BASE,
        {"/context/contextActivities/other": [{"id": COURSE, "name": "x"}]},
        "/context/contextActivities/other/0/name",
    )
    bad("revision a number", BASE, {"/context/revision": 2}, "/context/revision")
    bad("platform a number", BASE, {"/context/platform": 12}, "/context/platform")
    for what, obj in [
        ("an Agent", {**AGENT}),
        ("a Group", GROUP),
        ("a StatementRef", STATEMENT_REF),
        ("a SubStatement", SUBSTATEMENT),
    ]:
        bad(f"revision with {what} object", BASE, {"/object": obj, "/context/revision": "1"}, "/context/revision")
        bad(f"platform with {what} object", BASE, {"/object": obj, "/context/platform": "LMS"}, "/context/platform")
    bad(
        "SubStatement revision with a Group object (conformance suite)",
        sub,
        {"/object/object": GROUP, "/object/context/revision": "proof-revision"},
        "/object/context/revision",
    )
    bad(
        "SubStatement platform a number (conformance suite)",
        sub,
        {"/object/context/platform": 12},
        "/object/context/platform",
    )
    bad("context statement without objectType", BASE, {"/context/statement": {"id": sid("x")}}, "/context/statement")
    bad(
        "context statement an Activity",
        BASE,
        {"/context/statement": {"objectType": "Activity", "id": COURSE}},
        "/context/statement/objectType",
    )
    bad("instructor an Activity", BASE, {"/context/instructor": {"id": COURSE}}, "/context/instructor")
    # xAPI 2.0 contextAgents / contextGroups
    bad(
        "contextAgents an object",
        two,
        {"/context/contextAgents": two["context"]["contextAgents"][0]},
        "/context/contextAgents",
    )
    bad(
        "contextAgent objectType wrong",
        two,
        {"/context/contextAgents/0/objectType": "Agent"},
        "/context/contextAgents/0/objectType",
    )
    bad(
        "contextAgent without objectType",
        two,
        {"/context/contextAgents/0/objectType": DROP},
        "/context/contextAgents/0",
    )
    bad("contextAgent without agent", two, {"/context/contextAgents/0/agent": DROP}, "/context/contextAgents/0")
    bad(
        "contextAgent relevantTypes empty",
        two,
        {"/context/contextAgents/0/relevantTypes": []},
        "/context/contextAgents/0/relevantTypes",
    )
    bad(
        "contextAgent relevantTypes a string",
        two,
        {"/context/contextAgents/0/relevantTypes": "https://x.org/t"},
        "/context/contextAgents/0/relevantTypes",
    )
    bad(
        "contextAgent agent a Group",
        two,
        {"/context/contextAgents/0/agent": GROUP},
        "/context/contextAgents/0/agent/objectType",
    )
    bad("contextAgent unknown key", two, {"/context/contextAgents/0/role": "x"}, "/context/contextAgents/0/role")
    group_two = edit(two, {"/context/contextGroups": [{"objectType": "contextGroup", "group": GROUP}]})
    bad(
        "contextGroup objectType wrong",
        group_two,
        {"/context/contextGroups/0/objectType": "Group"},
        "/context/contextGroups/0/objectType",
    )
    bad("contextGroup without group", group_two, {"/context/contextGroups/0/group": DROP}, "/context/contextGroups/0")
    bad(
        "contextGroup group an Agent",
        group_two,
        {"/context/contextGroups/0/group": AGENT},
        "/context/contextGroups/0/group/objectType",
    )
    bad(
        "contextGroup relevantTypes empty",
        group_two,
        {"/context/contextGroups/0/relevantTypes": []},
        "/context/contextGroups/0/relevantTypes",
    )
    bad(
        "contextGroups an object",
        group_two,
        {"/context/contextGroups": {"objectType": "contextGroup", "group": GROUP}},
        "/context/contextGroups",
    )
    bad("contextAgents in a 1.0.3 statement", two, {"/version": "1.0.3"}, "/context/contextAgents")
    bad(
        "contextGroups in a 1.0.0 statement",
        group_two,
        {"/version": "1.0.0", "/context/contextAgents": DROP},
        "/context/contextGroups",
    )
    # result
    for what, at, value in [
        ("scaled 1.5", "/result/score/scaled", 1.5),
        ("scaled -2", "/result/score/scaled", -2),
        ("scaled a string", "/result/score/scaled", "0.5"),
        ("raw a string", "/result/score/raw", "7"),
        ("min a boolean", "/result/score/min", True),
        ("max null", "/result/score/max", None),
    ]:
        bad(f"score {what}", BASE, {at: value}, at)
    bad("score min above max", BASE, {"/result/score": {"min": 10, "max": 5}}, "/result/score/min")
    bad("score raw above max", BASE, {"/result/score": {"raw": 11, "min": 0, "max": 10}}, "/result/score/raw")
    bad("score raw below min", BASE, {"/result/score": {"raw": -1, "min": 0, "max": 10}}, "/result/score/raw")
    bad("score raw above max, no min", BASE, {"/result/score": {"raw": 11, "max": 10}}, "/result/score/raw")
    bad(
        "SubStatement score raw above max",
        sub,
        {"/object/result/score": {"raw": 11, "max": 10}},
        "/object/result/score/raw",
    )
    bad("score unknown key", BASE, {"/result/score/percent": 50}, "/result/score/percent")
    bad("score a number", BASE, {"/result/score": 0.5}, "/result/score")
    bad("success a string", BASE, {"/result/success": "true"}, "/result/success")
    bad("completion a number", BASE, {"/result/completion": 1}, "/result/completion")
    bad("response a number", BASE, {"/result/response": 5}, "/result/response")
    bad("result unknown key", BASE, {"/result/passed": True}, "/result/passed")
    bad("result a list", BASE, {"/result": [{"success": True}]}, "/result")
    # attachments
    for key in ["usageType", "display", "contentType", "length", "sha2"]:
        bad(f"attachment without {key}", with_attachment, {f"/attachments/0/{key}": DROP}, "/attachments/0")
    for what, value in [("a float", 1.5), ("negative", -1), ("a string", "4235")]:
        bad(f"attachment length {what}", with_attachment, {"/attachments/0/length": value}, "/attachments/0/length")
    for what, value in [
        ("too short", "abc"),
        ("not hex", "z" * 64),
        ("SHA-1 length", "a" * 40),
        ("base64", "Zy9hXZlh8BZ+3bZW2vQ3mGqwXUqzS2ZkkI2KzwtqDGw="),
    ]:
        bad(f"attachment sha2 {what}", with_attachment, {"/attachments/0/sha2": value}, "/attachments/0/sha2")
    for what, value in [("no subtype", "text"), ("a space inside", "text /plain"), ("a number", 7)]:
        bad(
            f"attachment contentType {what}",
            with_attachment,
            {"/attachments/0/contentType": value},
            "/attachments/0/contentType",
        )
    bad("attachment unknown key", with_attachment, {"/attachments/0/url": "https://x.org/a"}, "/attachments/0/url")
    bad("attachments an object", BASE, {"/attachments": ATTACHMENT}, "/attachments")
    # SubStatement
    for key, value in [
        ("id", sid("inner")),
        ("stored", "2026-01-05T15:00:00Z"),
        ("version", "1.0.3"),
        ("authority", AGENT),
    ]:
        bad(f"SubStatement with {key}", sub, {f"/object/{key}": value}, f"/object/{key}")
    bad("nested SubStatement", sub, {"/object/object": SUBSTATEMENT}, "/object/object/objectType")
    for key in ["actor", "verb", "object"]:
        bad(f"SubStatement without {key}", sub, {f"/object/{key}": DROP}, "/object")
    bad("SubStatement without objectType", sub, {"/object/objectType": DROP}, "/object/actor")
    bad("SubStatement unknown key", sub, {"/object/comment": "x"}, "/object/comment")
    bad(
        "SubStatement mis-cased Verb", sub, {"/object/verb": DROP, "/object/Verb": SUBSTATEMENT["verb"]}, "/object/Verb"
    )
    bad("SubStatement verb without id", sub, {"/object/verb/id": DROP}, "/object/verb")
    bad("SubStatement actor without identifier", sub, {"/object/actor/mbox": DROP}, "/object/actor")
    bad("SubStatement object activity without id", sub, {"/object/object/id": DROP}, "/object/object")
    bad(
        "SubStatement attachment without sha2",
        sub,
        {"/object/attachments": [{**ATTACHMENT, "sha2": None}]},
        "/object/attachments/0/sha2",
    )
    # voiding
    voiding = edit(BASE, {"/verb": {"id": ADL + "voided", "display": {"en-US": "voided"}}, "/object": STATEMENT_REF})
    bad("voiding an Activity", voiding, {"/object": {"objectType": "Activity", "id": COURSE}}, "/object/objectType")
    bad("voiding an Activity without objectType", voiding, {"/object": {"id": COURSE}}, "/object")
    bad("voiding an Agent", voiding, {"/object": AGENT}, "/object/objectType")
    bad("voiding a SubStatement", voiding, {"/object": SUBSTATEMENT}, "/object/objectType")
    bad("voiding a StatementRef without objectType", voiding, {"/object/objectType": DROP}, "/object")
    bad("voiding inside a SubStatement", sub, {"/object/verb/id": ADL + "voided"}, "/object/object")
    return [
        (name, with_id(name, statement) if isinstance(statement, dict) else statement, pointer)
        for name, statement, pointer in cases
    ]


def main() -> None:
    valid = [{"name": name, "statement": statement} for name, statement in valid_cases()]
    invalid = [{"name": n, "statement": s, "pointer": p} for n, s, p in invalid_cases()]
    for cases in (valid, invalid):
        names = [case["name"] for case in cases]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        assert not duplicates, duplicates
    for name, cases in (("xapi_valid.json", valid), ("xapi_invalid.json", invalid)):
        (HERE / name).write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(valid)} valid, {len(invalid)} invalid")


if __name__ == "__main__":
    main()
