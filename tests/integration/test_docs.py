"""The reference says what the code does: every route termijnd serves is in
the API reference (docs/api.md) and in the OpenAPI document
(docs/openapi.json), and nothing more, and every link between the README,
docs/ and workflows/README.md leads to a file and a heading that exist."""

import os
import re
import unittest

from harness import openapi_operations, source_dir

TOP = source_dir()


def read(*parts):
    with open(os.path.join(TOP, *parts)) as f:
        return f.read()


def shape(path):
    """A route without its query and with every {name} alike."""
    return re.sub(r"\{[a-z_]+\}", "{}", path.split("?")[0])


def slug(heading):
    """The anchor GitHub and most renderers give a heading."""
    h = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return h.replace(" ", "-")


class TestDocs(unittest.TestCase):
    def test_api_reference_lists_every_route(self):
        src = read("daemon", "termijnd", "server.c")
        served = {(m, shape(p)) for m, p in re.findall(
            r'\{ EVHTTP_REQ_([A-Z]+), "(/[^"]*)"', src)}
        self.assertGreater(len(served), 30, "the route table was not found")
        documented = {(m, shape(p)) for m, p in re.findall(
            r"^\| `(GET|POST|DELETE|PUT|PATCH) (/[^`]*)`", read("docs", "api.md"), re.M)}
        self.assertEqual(documented - served, set(), "documented but not served")
        self.assertEqual(served - documented, set(), "served but not documented")

    def served(self):
        src = read("daemon", "termijnd", "server.c")
        return {(m, shape(p)) for m, p in re.findall(
            r'\{ EVHTTP_REQ_([A-Z]+), "(/[^"]*)"', src)}

    def test_openapi_describes_every_route(self):
        """Each path under its server's (/v1, or the root for the paths
        outside the API's version), with a method termijnd serves there."""
        served = self.served()
        described = {(m, shape(p)) for m, p in openapi_operations()}
        self.assertEqual(described - served, set(), "described but not served")
        self.assertEqual(served - described, set(), "served but not described")

    def test_links_lead_somewhere(self):
        pages = ["README.md", "workflows/README.md", "tests/bench/README.md"]
        pages += ["docs/" + n for n in sorted(os.listdir(os.path.join(TOP, "docs")))
                  if n.endswith(".md")]
        anchors = {}
        for page in pages:
            text = re.sub(r"^```.*?^```", "", read(page), flags=re.S | re.M)
            anchors[page] = {slug(h) for h in re.findall(r"^#+ (.*)$", text, re.M)}
        broken = []
        for page in pages:
            text = re.sub(r"^```.*?^```", "", read(page), flags=re.S | re.M)
            for target in re.findall(r"\]\(([^)\s]+)\)", text):
                if re.match(r"^[a-z]+:", target):
                    continue
                path, _, anchor = target.partition("#")
                dest = os.path.normpath(os.path.join(os.path.dirname(page), path)) \
                    if path else page
                if not os.path.exists(os.path.join(TOP, dest)):
                    broken.append("%s: %s (no such file)" % (page, target))
                elif anchor and dest in anchors and anchor not in anchors[dest]:
                    broken.append("%s: %s (no such heading)" % (page, target))
        self.assertEqual(broken, [])
        # The README stays the page a newcomer reads.
        self.assertLessEqual(read("README.md").count("\n"), 250)


if __name__ == "__main__":
    unittest.main()
