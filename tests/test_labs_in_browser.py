"""Module 3's labs (README: Labs) in a real headless Chromium, on the real course.

The site is built by Hugo, served gzipped on 127.0.0.1 as a static host serves it; the models
are the ones the build exported, their cards hold PyTorch's outputs on a few fixed inputs. Each
lab is driven through the page's own code path (lab.js's hook `element.figgenLab.run`).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import hugo_site  # noqa: E402
from browser import chromium, chromium_missing, serve  # noqa: E402

pytestmark = [
    pytest.mark.browser,
    pytest.mark.course,
    # In CI (CI=true) a missing browser is a failure, never a silent skip.
    pytest.mark.skipif(chromium_missing() is not None and not os.environ.get("CI"), reason=chromium_missing() or ""),
]

MODULE3_URL = "/" + quote(str(hugo_site.MODULE3_PAGE.parent)) + "/"
LABS = {"grid": "cnn", "plane": "autoencoder", "prefix": "lm"}  # kind -> the model module 3 binds it to
LAB_FILES = re.compile(r"/figgen/(ort|models)/|/figgen/lab\.")  # the runtime, the models, the lab's module
TOLERANCE = 1e-4
FIRST_LOAD_SLACK = 5 * 1024  # bytes a page with labs may add to its first load
RUNTIME_AND_MODELS_MAX = 4 * 1024 * 1024  # compressed, as transferred
ANSWER_MAX_MS = 1000  # under Lighthouse's mobile CPU slowdown (4x)


@pytest.fixture(scope="module")
def course():
    if not (hugo_site.SITE / "static" / "figgen" / "ort" / "ort.wasm.min.mjs").exists():
        pytest.fail("the labs' runtime is missing: scripts/install-onnxruntime-web.sh (make test runs it)")
    return hugo_site.real_course()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("profile")) as driver:
        yield driver


def load(driver, url: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    # what a reader's browser does while nobody touches the page: idle a moment
    driver.execute_async_script("setTimeout(arguments[0], 500)")


def transferred(driver) -> list[dict]:
    return driver.execute_script(
        "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".map(e => ({name: e.name, bytes: e.transferSize}))")


def page_without_labs(site, workdir: Path) -> Path:
    """The course built from pages whose lab shortcodes are taken out: the first load of before."""
    content = workdir / "content"
    import shutil

    shutil.copytree(site.parent / "content", content)
    for page in content.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"\{\{< figgen-lab [^>]*>\}\}\n", "", text), encoding="utf-8")
    copy = hugo_site.copy_project(workdir / "copy", content=content)
    return hugo_site.build_or_fail(copy, workdir / "public")


def test_a_lab_adds_nothing_to_the_first_load(course, browser, tmp_path):
    """No byte of the runtime, the model or the lab's module before the reader's first interaction
    (Resource Timing), and the first load weighs what the page without labs weighs, within 5 KB."""
    html = (course.public / hugo_site.MODULE3_PAGE).read_text(encoding="utf-8")
    assert len(re.findall(r'class="?figgen-lab[" >]', html)) == 3, "module 3 places three labs"
    with serve(course.public) as base:
        load(browser, base + MODULE3_URL)
        with_labs = transferred(browser)
        assert browser.execute_script("return document.querySelectorAll('.figgen-lab').length") == 3
    early = [entry["name"] for entry in with_labs if LAB_FILES.search(entry["name"])]
    assert not early, f"fetched before any interaction: {early}"
    with serve(page_without_labs(course.site, tmp_path)) as base:
        load(browser, base + MODULE3_URL)
        before = transferred(browser)
    added = sum(e["bytes"] for e in with_labs) - sum(e["bytes"] for e in before)
    print(f"\nmodule 3 first load: {sum(e['bytes'] for e in before)} B without labs, "
          f"{sum(e['bytes'] for e in with_labs)} B with them ({added:+d} B)")
    assert added <= FIRST_LOAD_SLACK, f"the labs add {added} B to module 3's first load (> {FIRST_LOAD_SLACK})"


# Interact (focus: the lab loads), then feed each reference of the card through the page's hook.
RUN_REFERENCES = """
const [kind, done] = arguments;
const lab = document.querySelector(`.figgen-lab[data-kind="${kind}"]`);
lab.querySelector('[tabindex="0"], input, .figgen-lab-plane').focus();
(async () => {
  const card = await (await fetch(lab.dataset.card)).json();
  while (!lab.figgenLab) await new Promise((wake) => setTimeout(wake, 20));  // lab.js is imported on focus
  await lab.figgenLab.ready;
  const runs = [];
  for (const reference of card.references) {
    const outputs = await lab.figgenLab.run(reference.inputs);
    runs.push({expected: reference, outputs, fed: lab.figgenLab.fed,
               status: lab.querySelector('.figgen-lab-status').textContent});
  }
  return runs;
})().then(done, (error) => done({error: String(error && error.stack || error)}));
"""


def test_each_lab_gives_pytorchs_outputs_on_the_cards_inputs(course, browser):
    with serve(course.public) as base:
        load(browser, base + MODULE3_URL)
        browser.set_script_timeout(120)
        for kind in LABS:
            runs = browser.execute_async_script(RUN_REFERENCES, kind)
            assert isinstance(runs, list), f"{kind}: {runs}"
            assert 3 <= len(runs) <= 5, f"{kind}: the card holds {len(runs)} references"
            for run in runs:
                for name, values in run["expected"]["outputs"].items():
                    got = run["outputs"][name]
                    assert len(got) == len(values), (kind, name)
                    worst = max(abs(a - b) for a, b in zip(got, values))
                    assert worst <= TOLERANCE, f"{kind} {name}: {worst:.2e} from PyTorch's output"
                # the controls held exactly the reference input (a prefix's words give its ids back)
                for name, values in run["expected"]["inputs"].items():
                    assert run["fed"][name] == pytest.approx(values, abs=1e-6), (kind, name)
                assert run["status"].strip(), f"{kind}: nothing read out to a screen reader"
        lab_bytes = [e for e in transferred(browser) if LAB_FILES.search(e["name"])]
    total = sum(e["bytes"] for e in lab_bytes)
    print(f"\nruntime + lab + models, transferred: {total} B")
    assert any("/figgen/ort/" in e["name"] and e["name"].endswith(".wasm") for e in lab_bytes)
    assert total <= RUNTIME_AND_MODELS_MAX, f"{total} B for the runtime and the models (> 4 MB)"


# The time from a reader's event to the lab's answer, both on the page's clock: the event's
# timeStamp and the moment the lab's live region says a result (not "loading").
WATCH = """
const lab = document.querySelector(`.figgen-lab[data-kind="${arguments[0]}"]`);
window.figgenWatch = {events: [], answers: []};
for (const type of ['pointerdown', 'keydown', 'input'])
  lab.addEventListener(type, (e) => figgenWatch.events.push(e.timeStamp), true);
const status = lab.querySelector('.figgen-lab-status'), loading = JSON.parse(lab.dataset.text).loading;
new MutationObserver(() => { if (status.textContent && status.textContent !== loading) figgenWatch.answers.push(performance.now()); })
  .observe(status, {childList: true, characterData: true, subtree: true});
"""


def answer_ms(driver, act) -> float:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("figgenWatch.events = []; figgenWatch.answers = [];")
    act()
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(
        "return figgenWatch.events.length && figgenWatch.answers.some(t => t > figgenWatch.events[0])"))
    return driver.execute_script(
        "const t = figgenWatch.events[0]; return figgenWatch.answers.find(a => a > t) - t")


@pytest.mark.alone  # a bound in milliseconds: measured on a machine doing nothing else
def test_each_lab_answers_within_a_second_under_a_4x_cpu_slowdown(course, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    with serve(course.public) as base:
        load(browser, base + MODULE3_URL)
        browser.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 4})
        try:
            times = {}
            for kind in LABS:
                lab = browser.find_element(By.CSS_SELECTOR, f'.figgen-lab[data-kind="{kind}"]')
                browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", lab)
                browser.execute_script(WATCH, kind)
                if kind == "grid":
                    cells = lab.find_elements(By.CSS_SELECTOR, "[role=gridcell]")
                    first = answer_ms(browser, lambda: ActionChains(browser).click(cells[19]).perform())
                    browser.execute_async_script(
                        "document.querySelector('.figgen-lab[data-kind=grid]').figgenLab.ready.then(() => arguments[0]())")
                    then = answer_ms(browser, lambda: ActionChains(browser).click(cells[27]).perform())
                elif kind == "plane":
                    plane = lab.find_element(By.CSS_SELECTOR, ".figgen-lab-plane")
                    first = answer_ms(browser, lambda: ActionChains(browser).click(plane).perform())
                    then = answer_ms(browser, lambda: plane.send_keys(Keys.ARROW_RIGHT))
                else:
                    field = lab.find_element(By.CSS_SELECTOR, "input")
                    first = answer_ms(browser, lambda: field.send_keys(" va"))
                    then = answer_ms(browser, lambda: field.send_keys(" bien"))
                times[kind] = (first, then)
        finally:
            browser.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 1})
    print("\nfirst interaction (loads the runtime and the model) / next change, ms under 4x: "
          + ", ".join(f"{kind} {first:.0f} / {then:.0f}" for kind, (first, then) in times.items()))
    slow = {kind: then for kind, (_, then) in times.items() if then > ANSWER_MAX_MS}
    assert not slow, f"a lab answered in more than {ANSWER_MAX_MS} ms under a 4x slowdown: {slow}"
