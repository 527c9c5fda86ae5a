// CommonMark reference implementation (Debian libcmark-dev). Only Lessons/Markdown.swift uses it.
#include <cmark.h>
#include <stdlib.h>
