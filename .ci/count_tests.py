#!/usr/bin/env python3
"""Counts the GoogleTest cases of one Bazel test run: prints `passed failed skipped`.

Usage: count_tests.py <build event JSON file> <bazel-testlogs dir>. A test target without cases
in its XML (an sh_test, or one that crashed before writing XML) counts as one.
"""
import glob, json, os, sys
import xml.etree.ElementTree as ET

bep, testlogs = sys.argv[1], sys.argv[2]
summaries = {}  # label -> overall status, from Bazel's build event stream
try:
    with open(bep) as f:
        for line in f:
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            if "testSummary" in ev:
                label = ev["id"]["testSummary"]["label"]
                summaries[label] = ev["testSummary"].get("overallStatus", "FAILED")
except OSError:
    pass

passed = failed = skipped = 0
for label, overall in sorted(summaries.items()):
    pkg, _, name = label.lstrip("/").partition(":")
    xmls = sorted(glob.glob(os.path.join(testlogs, pkg, name, "**", "test.xml"),
                            recursive=True))
    cases = []
    for x in xmls:
        try:
            cases += ET.parse(x).getroot().iter("testcase")
        except (ET.ParseError, OSError):
            pass
    if not cases:  # e.g. an sh_test, or a test that crashed before writing XML
        if overall == "PASSED":
            passed += 1
        else:
            failed += 1
        continue
    for c in cases:
        if c.find("failure") is not None or c.find("error") is not None:
            failed += 1
        elif (c.find("skipped") is not None or c.get("status") == "notrun"
              or c.get("result") in ("skipped", "suppressed")):
            skipped += 1
        else:
            passed += 1
    if overall != "PASSED" and not any(
            c.find("failure") is not None or c.find("error") is not None for c in cases):
        failed += 1  # e.g. timed out or crashed after its cases were written

print(passed, failed, skipped)
