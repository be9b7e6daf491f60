#include <gtest/gtest.h>
#include "pb/pb.h"
