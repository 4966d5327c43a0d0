"""Memory (and so CPU) is the organisation's choice per kind of function, and a change reaches what runs."""

from __future__ import annotations

from local import template

T = template.load()
FUNCTIONS = template.resources("AWS::Serverless::Function")
SIZES = {"HttpMemorySize", "NotifierMemorySize", "BackgroundMemorySize"}


def memory_parameter(function: dict) -> str:
    return function["Properties"].get("MemorySize", T["Globals"]["Function"]["MemorySize"])


def test_every_function_takes_its_memory_from_a_parameter():
    assert {name: memory_parameter(f) for name, f in FUNCTIONS.items()} == {
        "IntakeFunction": "HttpMemorySize",
        "LinksFunction": "HttpMemorySize",
        "HomeFunction": "HttpMemorySize",
        "AdminFunction": "HttpMemorySize",
        "NotifierFunction": "NotifierMemorySize",
        "SchedulerFunction": "BackgroundMemorySize",
        "FeedbackFunction": "BackgroundMemorySize",
    }
    for name in SIZES:
        spec = T["Parameters"][name]
        assert spec["Type"] == "Number" and 128 <= spec["Default"] <= 10240 and spec["MinValue"] == 128


def test_a_new_memory_size_publishes_a_new_version_behind_the_alias():
    """SAM hashes a function's literal MemorySize into the version it publishes for AutoPublishAlias, but sees
    a parameter unresolved: only AWS::LanguageExtensions resolves parameters before SAM's transform, so that a
    new size reaches the alias the API invokes instead of waiting for the next code change."""
    aliased = [n for n, f in FUNCTIONS.items() if "AutoPublishAlias" in f["Properties"]]
    assert aliased and all(memory_parameter(FUNCTIONS[n]) in SIZES for n in aliased)
    transforms = T["Transform"] if isinstance(T["Transform"], list) else [T["Transform"]]
    assert transforms.index("AWS::LanguageExtensions") < transforms.index("AWS::Serverless-2016-10-31")


def test_the_dashboard_is_an_option_and_off_by_default():
    assert T["Parameters"]["CreateDashboard"]["Default"] == "false"
    assert T["Conditions"]["DashboardOn"] == ["CreateDashboard", "true"]
    assert T["Resources"]["Dashboard"]["Condition"] == "DashboardOn"
    assert T["Outputs"]["DashboardUrl"]["Condition"] == "DashboardOn"
