#!/bin/sh
# Coverage reports are not generated offline; this placeholder succeeds.
exit 0
