// Tests for the pdf extractor (being written).
#include <gtest/gtest.h>
