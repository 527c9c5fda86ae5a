#include "CVulkan.h"
int cvk_placeholder(void) { return 0; }
