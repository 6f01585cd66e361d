"""Check the sitemap, the root 404 page and the workflow that publish the book to GitHub Pages."""

import gzip
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.config import load_config
from sitebuild import LANGUAGES, NOTEBOOKS, PAGES, ROOT, page_path, run_build

pytestmark = pytest.mark.site

SITEMAP_NAMESPACES = {
    "sitemap": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
# GitHub Pages publishes a project site under /<repository>/.
PROJECT_SITE_URL = "https://example.github.io/softmax-book/"
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


class Build(NamedTuple):
    """A built site folder and the site_url that it was built with."""

    site_dir: Path
    site_url: str

    @property
    def base_path(self):
        """Return the URL path that the site root is served at, such as "/" or "/softmax-book/"."""
        return urlsplit(self.site_url).path


@pytest.fixture(scope="module")
def project_site(tmp_path_factory):
    """Build the site as the Pages workflow does for a project site."""
    site_dir = tmp_path_factory.mktemp("project-site")
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("SITE_URL", PROJECT_SITE_URL)
        result = run_build(ROOT / "mkdocs.yml", site_dir, cwd=tmp_path_factory.mktemp("cwd"))
    assert result.returncode == 0, result.stderr
    return site_dir


@pytest.fixture(scope="module", params=["default", "project"])
def published(request):
    """Return the session build with its site_url, or the build under a project-site path."""
    if request.param == "project":
        return Build(request.getfixturevalue("project_site"), PROJECT_SITE_URL)
    # load_config reads SITE_URL the way the session build did, and adds the trailing slash.
    site_url = load_config(str(ROOT / "mkdocs.yml"))["site_url"]
    return Build(request.getfixturevalue("site"), site_url)


# ---- sitemap.xml -------------------------------------------------------------


def sitemap_urls(site_dir):
    root = ElementTree.parse(site_dir / "sitemap.xml").getroot()
    return root.findall("sitemap:url", SITEMAP_NAMESPACES)


def test_sitemap_has_no_none(published):
    # mkdocs-static-i18n 1.3.1 starts every URL with "None" when site_url is unset.
    assert "None" not in (published.site_dir / "sitemap.xml").read_text(encoding="utf-8")


def test_sitemap_lists_every_page_once(published):
    urls = sitemap_urls(published.site_dir)
    locations = [url.findtext("sitemap:loc", namespaces=SITEMAP_NAMESPACES) for url in urls]
    expected = {
        published.site_url + page_path(language, page) for language in LANGUAGES for page in PAGES + NOTEBOOKS
    }
    assert len(locations) == len(set(locations)), "a page is listed twice"
    assert set(locations) == expected


def test_sitemap_links_each_translation(published):
    for url in sitemap_urls(published.site_dir):
        location = url.findtext("sitemap:loc", namespaces=SITEMAP_NAMESPACES)
        page = location.removeprefix(published.site_url).removeprefix(LANGUAGES["en"])
        links = url.findall("xhtml:link", SITEMAP_NAMESPACES)
        alternates = {link.get("hreflang"): link.get("href") for link in links}
        expected = {
            language: published.site_url + prefix + page for language, prefix in LANGUAGES.items()
        }
        assert alternates == expected, location


def test_sitemap_gz_matches_sitemap(published):
    compressed = (published.site_dir / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(compressed) == (published.site_dir / "sitemap.xml").read_bytes()


# ---- 404.html ----------------------------------------------------------------


def read_404(site_dir):
    return BeautifulSoup((site_dir / "404.html").read_text(encoding="utf-8"), "html.parser")


def test_404_keeps_default_language_chrome(published):
    # Every language build writes 404.html into the site root, so the last one built would win.
    assert read_404(published.site_dir).html["lang"] == "zh"


def test_404_text_in_both_languages(published):
    article = read_404(published.site_dir).select_one("article")
    assert "页面不存在" in article.get_text()
    english = article.find(lang="en")
    assert english is not None, "no element marked lang=en"
    assert "Page not found" in english.get_text()


def test_404_links_both_home_pages(published):
    links = {link["href"] for link in read_404(published.site_dir).select("article a[href]")}
    assert published.base_path in links
    assert published.base_path + LANGUAGES["en"] in links


def test_404_language_switch_goes_home(published):
    # Without a page to translate, each language's entry leads to its home page.
    switch = read_404(published.site_dir).select("a.md-select__link")
    targets = {link["hreflang"]: link["href"] for link in switch}
    homes = {language: published.base_path + prefix for language, prefix in LANGUAGES.items()}
    assert targets == homes


def test_404_assets_use_absolute_paths(published):
    soup = read_404(published.site_dir)
    stylesheets = [link["href"] for link in soup.select('link[rel="stylesheet"]')]
    scripts = [script["src"] for script in soup.select("script[src]")]
    assert stylesheets
    assert scripts
    for url in stylesheets + scripts:
        assert url.startswith(published.base_path), url
        assert not url.startswith("//"), url


def site_file(build, url):
    """Return the file that serves `url`, or None when the URL points outside the site."""
    parts = urlsplit(url)
    if parts.netloc != urlsplit(build.site_url).netloc:
        return None
    if not parts.path.startswith(build.base_path):
        return None
    relative = parts.path.removeprefix(build.base_path)
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    return build.site_dir / relative


@pytest.mark.parametrize("missing_path", ["no/such/page/", "en/no/such/page/"])
def test_404_references_resolve_at_any_depth(published, missing_path):
    # GitHub Pages serves the root 404.html at the missing URL itself, so
    # relative URLs would resolve against the missing path.
    page_url = published.site_url + missing_path
    soup = read_404(published.site_dir)
    references = [(tag.name, tag["href"]) for tag in soup.select("a[href], link[href]")]
    references += [(tag.name, tag["src"]) for tag in soup.select("script[src], img[src]")]
    assert references
    for tag, reference in references:
        url = urldefrag(urljoin(page_url, reference)).url
        if urlsplit(url).netloc != urlsplit(published.site_url).netloc or url == page_url:
            continue
        target = site_file(published, url)
        assert target is not None, f"<{tag}> {reference} leaves the site: {url}"
        assert target.is_file(), f"<{tag}> {reference} resolves to {url}, which is not in the site"


# ---- .github/workflows/pages.yml ----------------------------------------------


@pytest.fixture(scope="module")
def workflow():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def find_steps(workflow, matches):
    """Return (job id, step index, step) for every step for which matches(step) is true."""
    return [
        (job_id, index, step)
        for job_id, job in workflow["jobs"].items()
        for index, step in enumerate(job.get("steps", []))
        if matches(step)
    ]


def uses(action):
    """Return a predicate that matches the steps that run `action`, at any version."""
    return lambda step: step.get("uses", "").partition("@")[0] == action


def only_step(workflow, matches, description):
    found = find_steps(workflow, matches)
    assert len(found) == 1, f"expected one step that {description}, found {len(found)}"
    return found[0]


def is_test_step(step):
    return step.get("run", "").strip() == "bash .ci/run"


def is_build_step(step):
    command = step.get("run", "").strip()
    return command == "make build" or command.startswith("mkdocs build")


def test_workflow_triggers(workflow):
    # PyYAML follows YAML 1.1, which reads the key `on` as True.
    triggers = workflow.get("on", workflow.get(True))
    assert "main" in triggers["push"]["branches"]
    assert "workflow_dispatch" in triggers


def test_workflow_token_reads_only_by_default(workflow):
    assert workflow["permissions"] == {"contents": "read"}


def test_workflow_tests_in_debian_container(workflow):
    job_id, _, step = only_step(workflow, is_test_step, "runs bash .ci/run")
    job = workflow["jobs"][job_id]
    container = job.get("container")
    image = container.get("image") if isinstance(container, dict) else container
    # .ci/run installs Debian's packages with apt-get.
    assert image == "debian:bookworm"
    environment = {**workflow.get("env", {}), **job.get("env", {}), **step.get("env", {})}
    assert str(environment.get("CI")).lower() == "true"


def test_workflow_builds_strict_after_tests(workflow):
    test_job, test_index, _ = only_step(workflow, is_test_step, "runs bash .ci/run")
    build_job, build_index, build = only_step(workflow, is_build_step, "builds the site")
    # The build reads reports/verification.json, which the full test run writes.
    assert build_job == test_job
    assert build_index > test_index
    command = build["run"].strip()
    if command == "make build":
        makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
        # The recipe runs from the "build:" line to the next blank line.
        recipe = makefile.partition("\nbuild:")[2].partition("\n\n")[0]
        assert "$(BIN)/mkdocs build --strict" in recipe
    else:
        assert "--strict" in command


def test_workflow_site_url_from_configure_pages(workflow):
    pages_job, pages_index, pages = only_step(
        workflow, uses("actions/configure-pages"), "uses configure-pages"
    )
    build_job, build_index, build = only_step(workflow, is_build_step, "builds the site")
    assert build_job == pages_job
    assert build_index > pages_index
    environment = {**workflow["jobs"][build_job].get("env", {}), **build.get("env", {})}
    site_url = environment.get("SITE_URL", "")
    assert f"steps.{pages['id']}.outputs.base_url" in site_url
    # base_url has no trailing slash.
    assert site_url.endswith("/")


def test_workflow_build_job_can_read_pages(workflow):
    job_id, _, _ = only_step(workflow, uses("actions/configure-pages"), "uses configure-pages")
    # A job's permissions replace the workflow's, and configure-pages reads the Pages API.
    permissions = workflow["jobs"][job_id].get("permissions", workflow["permissions"])
    assert permissions.get("pages") in ("read", "write")


def test_workflow_uploads_site_folder(workflow):
    build_job, build_index, _ = only_step(workflow, is_build_step, "builds the site")
    upload_job, upload_index, upload = only_step(
        workflow, uses("actions/upload-pages-artifact"), "uses upload-pages-artifact"
    )
    assert upload_job == build_job
    assert upload_index > build_index
    assert upload["with"]["path"].removeprefix("./").rstrip("/") == "site"


def test_workflow_deploys_with_pages_permissions(workflow):
    build_job, _, _ = only_step(
        workflow, uses("actions/upload-pages-artifact"), "uses upload-pages-artifact"
    )
    deploy_job, _, deploy = only_step(workflow, uses("actions/deploy-pages"), "uses deploy-pages")
    job = workflow["jobs"][deploy_job]
    permissions = job.get("permissions", {})
    assert permissions.get("pages") == "write"
    assert permissions.get("id-token") == "write"
    environment = job.get("environment", {})
    assert environment.get("name") == "github-pages"
    assert f"steps.{deploy.get('id')}.outputs.page_url" in environment.get("url", "")
    needs = job["needs"]
    assert build_job in ([needs] if isinstance(needs, str) else needs)


def test_workflow_serializes_deploys(workflow):
    deploy_job, _, _ = only_step(workflow, uses("actions/deploy-pages"), "uses deploy-pages")
    concurrency = workflow.get("concurrency") or workflow["jobs"][deploy_job].get("concurrency")
    assert concurrency, "no concurrency group on the workflow or the deploy job"
    group = concurrency["group"] if isinstance(concurrency, dict) else concurrency
    assert group
    # cancel-in-progress would stop a deploy that has already started.
    assert not (isinstance(concurrency, dict) and concurrency.get("cancel-in-progress"))
