"""Fail when the JUnit report of a pytest run holds a skipped test (or none at all)."""

import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
cases = root.iter("testcase")
total, skipped = 0, []
for case in cases:
    total += 1
    if case.find("skipped") is not None:
        skipped.append(f"{case.get('classname')}::{case.get('name')}")
if not total:
    sys.exit("no tests ran")
if skipped:
    sys.exit(
        f"{len(skipped)} of {total} tests skipped on the CI machine:\n  " + "\n  ".join(skipped)
    )
print(f"{total} tests, 0 skipped")
