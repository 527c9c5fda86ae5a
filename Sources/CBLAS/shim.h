// OpenBLAS CBLAS interface (Debian libopenblas-dev); cblas.h also declares openblas_set_num_threads.
#include <cblas.h>
