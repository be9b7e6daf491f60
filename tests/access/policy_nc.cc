// The access matrix's negative control: the policy with its tenant check weakened (see
// InScope in src/access/policy.cc). Linked into gongzhi_access_nc ahead of libgz_access.a, so
// these definitions replace the real ones in that binary only.
#define GZ_ACCESS_NEGATIVE_CONTROL 1
#include "access/policy.cc"  // NOLINT(bugprone-suspicious-include)
