"""Publishing: the workflows, the Makefile and _config.yml agree with each other.

The workflows need GitHub (and the network), so here they are read, not run:
the book they publish is the one `make book` builds, with the execution cache
myst-nb uses, on the branch the Colab buttons point at, at the address that
the sitemap and Open Graph tags announce.
"""

import re

import yaml
from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def _steps(name):
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def _runs(name):
    return "\n".join(step.get("run", "") for step in _steps(name))


def _make_targets():
    return set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(), re.M))


def _workflow(name):
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads `on:` as True
    return workflow


def test_tests_run_on_every_push_and_pull_request_as_ci_runs_them():
    workflow = _workflow("tests.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    assert workflow["on"]["push"] is None, "every branch, not only main"
    assert "bash .ci/run" in _runs("tests.yml")
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    caches = [step["with"]["path"] for step in _steps("tests.yml")
              if step.get("uses", "").startswith("actions/cache")]
    # jupyter-book puts myst-nb's jupyter-cache beside the html output folder.
    assert caches == ["_build/.jupyter_cache"]


def test_publish_publishes_only_the_site_that_passed_the_tests():
    tests, publish = _workflow("tests.yml"), _workflow("publish.yml")
    trigger = publish["on"]["workflow_run"]
    assert set(publish["on"]) == {"workflow_run"}, "no other way in, e.g. a manual build"
    assert trigger["workflows"] == [tests["name"]] and trigger["types"] == ["completed"]
    (job,) = publish["jobs"].values()
    assert "github.event.workflow_run.conclusion == 'success'" in job["if"]
    assert "make" not in _runs("publish.yml"), "publish builds nothing: it publishes what passed"
    upload = next(s for s in _steps("tests.yml")
                  if s.get("uses", "").startswith("actions/upload-artifact"))
    download = next(s for s in job["steps"]
                    if s.get("uses", "").startswith("actions/download-artifact"))
    assert upload["with"]["path"] == download["with"]["path"] == "_build/html"
    assert upload["with"]["name"] == download["with"]["name"]
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"


def test_publish_pushes_the_site_to_the_branch_the_colab_buttons_open():
    command = next(line for line in _runs("publish.yml").splitlines()
                   if line.startswith("ghp-import"))
    assert "--no-jekyll" in command, "without .nojekyll GitHub Pages hides _static/ and _sources/"
    branch = re.search(r"(?:-b|--branch)[ =](\S+)", command)
    assert (branch[1] if branch else "gh-pages") == CONFIG["sphinx"]["config"]["notebooks_branch"]
    assert "ghp-import==" in (ROOT / "requirements.txt").read_text()


def test_linkcheck_job_runs_a_make_target():
    assert "make linkcheck" in _runs("linkcheck.yml")
    assert {"book", "test", "linkcheck"} <= _make_targets()


def test_site_address_is_the_repository_github_pages_address():
    owner, repo = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+)",
                               CONFIG["repository"]["url"]).groups()
    assert CONFIG["html"]["baseurl"] == f"https://{owner}.github.io/{repo}/"
