// Tests for the html extractor (being written).
#include <gtest/gtest.h>
