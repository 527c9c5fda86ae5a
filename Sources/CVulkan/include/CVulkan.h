// Placeholder: the Vulkan shim (loader via dlopen, macros Swift does not import) lands with the GPU backend.
#pragma once
int cvk_placeholder(void);
