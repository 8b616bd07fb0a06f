// The comma-separated size lists of cachelab-live's options (live/cli/size_list.hpp): what a user types is taken
// exactly or refused whole; nothing is half-read.
#include <gtest/gtest.h>

#include "live/cli/size_list.hpp"

namespace cachelab::live::cli {

TEST(SizeList, TakesPositiveIntegersInOrder) {
  const auto v = parse_size_list("1000,100000,7", 1000000, 8);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, (std::vector<uint64_t>{1000, 100000, 7}));
  EXPECT_EQ(*parse_size_list("16777216", 16777216, 1), (std::vector<uint64_t>{16777216}));
}

TEST(SizeList, RefusesAnythingElseWhole) {
  for (const char* bad : {"", ",", "1000,", ",1000", "1000,,2", "0", "1000,0", "-5", "+5", " 5", "5 ", "1k", "1e3",
                          "1.5", "abc", "16777217", "99999999999999999999999"})
    EXPECT_FALSE(parse_size_list(bad, 16777216, 8).has_value()) << "'" << bad << "'";
}

TEST(SizeList, RefusesMoreThanTheLimit) {
  EXPECT_TRUE(parse_size_list("1,2,3", 10, 3).has_value());
  EXPECT_FALSE(parse_size_list("1,2,3,4", 10, 3).has_value());
}

}  // namespace cachelab::live::cli
