"""Watching termijnd: GET /metrics in the Prometheus text format (checked
with promtool), its histograms and counts, GET /readyz, and the example
alert rules in contrib/prometheus (promtool check rules, test rules)."""

import os
import subprocess

from harness import (FakeClock, TermijnTestCase, local, prometheus_samples, source_dir,
                     wait_until)


def promtool(*args, stdin=None):
    return subprocess.run(["promtool"] + list(args), input=stdin, capture_output=True,
                          text=True, timeout=60)


class MetricsTest(TermijnTestCase):

    def scrape(self, d):
        r = d.request("GET", "/metrics", token=d.admin_token)
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(r.headers["content-type"], "text/plain; version=0.0.4")
        return r.raw.decode()

    def test_exposition_histograms_counts(self):
        clock = FakeClock(self.tmpdir, local(2026, 1, 5, 10, 0))
        d = self.start_daemon(clock=clock, config={"scheduler": {"recheck_interval": 0.05}})
        z = [d.create_case(workflow="zelfmelding")["id"] for _ in range(3)]
        d.create_case(workflow="stabilisatie")
        d.event(z[0], "family_reported")

        text = self.scrape(d)
        r = promtool("check", "metrics", stdin=text)
        self.assertEqual((r.returncode, r.stdout + r.stderr), (0, ""), text)

        # The counts come from a thread of their own, a scrape or so later.
        def counted():
            s = prometheus_samples(self.scrape(d))
            key = 'termijn_cases{workflow="zelfmelding",state="awaiting_self_report"}'
            # And the loop's half-second timer has run at least once.
            return s if s.get(key) == 2 and s["termijn_loop_lag_seconds_count"] else None
        s = wait_until(counted, 10, 0.3, what="cases by workflow and state")
        self.assertEqual(s['termijn_cases{workflow="zelfmelding",state="self_reported"}'], 1)
        self.assertEqual(s['termijn_cases{workflow="stabilisatie",state="stabilising"}'], 1)
        self.assertGreaterEqual(s["termijn_rungs_pending"], 3)
        self.assertEqual(s["termijn_rungs_due"], 0)
        self.assertLess(s["termijn_count_age_seconds"], 5)
        self.assertEqual(s["termijn_ready"], 1)
        self.assertGreaterEqual(s["termijn_commit_batch_writes_count"], 5)
        self.assertEqual(s['termijn_commit_batch_writes_bucket{le="+Inf"}'],
                         s["termijn_commit_batch_writes_count"])
        self.assertGreater(s['termijn_http_responses_total{code="2xx"}'], 5)
        self.assertGreater(s["termijn_loop_lag_seconds_count"], 0)
        self.assertEqual(s["termijn_deadline_lateness_seconds_count"], 0)

        # Two deadlines pass while termijnd runs: lateness is observed.
        clock.set(local(2026, 2, 17, 0, 0, 1))
        d.wait_state(z[1], "youth_worker_reports")
        d.wait_state(z[2], "youth_worker_reports")
        s = wait_until(lambda: (lambda s: s if s["termijn_deadline_lateness_seconds_count"]
                                >= 2 else None)(prometheus_samples(self.scrape(d))),
                       what="lateness observations")
        self.assertGreaterEqual(s["termijn_deadlines_fired_total"], 2)
        self.assertGreater(s["termijn_deadline_lateness_seconds_sum"], 0)
        self.assertGreaterEqual(s["termijn_fire_batch_rungs_count"], 1)
        r = promtool("check", "metrics", stdin=self.scrape(d))
        self.assertEqual((r.returncode, r.stdout + r.stderr), (0, ""))
        d.stop()

    def test_case_counts_only_for_a_metrics_or_admin_token(self):
        """Counts of cases by workflow and state sum up every team's work:
        a token of role metrics (made without a team) or admin sees them; a
        reader or a caseworker of one team sees termijnd's own figures
        without them.  A metrics token reads /metrics and nothing else."""
        d = self.start_daemon()
        d.create_case(workflow="zelfmelding", team="jeugd-noord")
        d.create_case(workflow="stabilisatie", team="inkomen")
        metrics = d.make_token("prometheus", "metrics", [])
        reader = d.make_token("meelezer", "reader", ["jeugd-noord"])

        def counted(token):
            r = d.request("GET", "/metrics", token=token)
            self.assertEqual(r.status, 200, r.raw)
            s = prometheus_samples(r.raw.decode())
            return s if "termijn_count_age_seconds" in s else None
        for token in (metrics, d.admin_token):
            s = wait_until(lambda: counted(token), 10, 0.3, what="the counts")
            self.assertEqual(s['termijn_cases{workflow="stabilisatie",state="stabilising"}'], 1)
            self.assertIn("termijn_cases_unrouted", s)
        for token in (reader, d.token):
            text = d.request("GET", "/metrics", token=token).raw.decode()
            s = wait_until(lambda: counted(token), 10, 0.3, what="the counts")
            self.assertFalse([k for k in s if k.startswith("termijn_cases")], text)
            self.assertNotIn("stabilisatie", text)
            self.assertIn("termijn_rungs_pending", s)
            self.assertIn("termijn_ready", s)
            r = promtool("check", "metrics", stdin=text)
            self.assertEqual((r.returncode, r.stdout + r.stderr), (0, ""), text)
        for path in ("/v1/me", "/v1/cases", "/v1/workflows", "/v1/overdue",
                     "/v1/calendar.ics", "/v1/tokens"):
            self.assertProblem(d.request("GET", path, token=metrics), 403, "metrics")
        d.stop()

    def test_readyz_and_healthz_need_no_token(self):
        d = self.start_daemon()
        r = d.request("GET", "/readyz", token=None)
        self.assertEqual((r.status, r.body), (200, {"status": "ready"}))
        self.assertEqual(d.request("GET", "/metrics", token=None).status, 401)
        self.assertEqual(d.request("POST", "/readyz", body={}, token=None).status, 405)
        d.stop()

    def test_alert_rules(self):
        rules = os.path.join(source_dir(), "contrib", "prometheus", "termijn.rules.yml")
        r = promtool("check", "rules", rules)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("SUCCESS: 10 rules found", r.stdout)
        r = promtool("test", "rules", os.path.join(os.path.dirname(rules),
                                                   "termijn.rules.test.yml"))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


if __name__ == "__main__":
    import unittest
    unittest.main()
