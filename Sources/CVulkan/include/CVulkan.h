// CVulkan: the C shim between Swift and the Vulkan loader (Vulkan 1.0 spec, vulkan_core.h).
// The loader is opened at run time with dlopen, so the binary builds with libvulkan-dev headers
// only and still runs (reporting "no Vulkan") on machines without it. Function pointers are
// fetched through vkGetInstanceProcAddr / vkGetDeviceProcAddr into the tables below.
#pragma once

#define VK_NO_PROTOTYPES 1
#include <vulkan/vulkan.h>
#include <stddef.h>
#include <stdint.h>

// Loader-level functions (callable without an instance).
#define CVK_GLOBAL_FUNCTIONS(X)                                                                    \
  X(CreateInstance) X(EnumerateInstanceLayerProperties) X(EnumerateInstanceExtensionProperties)

// Instance-level functions used by the backend.
#define CVK_INSTANCE_FUNCTIONS(X)                                                                  \
  X(DestroyInstance) X(EnumeratePhysicalDevices) X(GetPhysicalDeviceProperties)                  \
  X(GetPhysicalDeviceQueueFamilyProperties) X(GetPhysicalDeviceMemoryProperties)                 \
  X(EnumerateDeviceExtensionProperties) X(CreateDevice) X(GetDeviceProcAddr)

// Device-level functions used by the backend.
#define CVK_DEVICE_FUNCTIONS(X)                                                                    \
  X(DestroyDevice) X(GetDeviceQueue) X(DeviceWaitIdle) X(QueueSubmit)                            \
  X(CreateBuffer) X(DestroyBuffer) X(GetBufferMemoryRequirements) X(BindBufferMemory)             \
  X(AllocateMemory) X(FreeMemory) X(MapMemory) X(UnmapMemory)                                     \
  X(CreateShaderModule) X(DestroyShaderModule) X(CreateComputePipelines) X(DestroyPipeline)       \
  X(CreateDescriptorSetLayout) X(DestroyDescriptorSetLayout)                                      \
  X(CreatePipelineLayout) X(DestroyPipelineLayout)                                                \
  X(CreateDescriptorPool) X(DestroyDescriptorPool) X(ResetDescriptorPool)                         \
  X(AllocateDescriptorSets) X(UpdateDescriptorSets)                                               \
  X(CreateCommandPool) X(DestroyCommandPool) X(ResetCommandPool) X(AllocateCommandBuffers)        \
  X(BeginCommandBuffer) X(EndCommandBuffer)                                                       \
  X(CmdBindPipeline) X(CmdBindDescriptorSets) X(CmdPushConstants) X(CmdDispatch)                  \
  X(CmdPipelineBarrier) X(CmdCopyBuffer) X(CmdFillBuffer)                                         \
  X(CreateFence) X(DestroyFence) X(WaitForFences) X(ResetFences)

#define CVK_FIELD(name) PFN_vk##name vk##name;

typedef struct CVkGlobalFunctions {
  PFN_vkGetInstanceProcAddr vkGetInstanceProcAddr;
  CVK_GLOBAL_FUNCTIONS(CVK_FIELD)
} CVkGlobalFunctions;

typedef struct CVkInstanceFunctions {
  CVK_INSTANCE_FUNCTIONS(CVK_FIELD)
} CVkInstanceFunctions;

typedef struct CVkDeviceFunctions {
  CVK_DEVICE_FUNCTIONS(CVK_FIELD)
} CVkDeviceFunctions;

#undef CVK_FIELD

/// Opens the Vulkan loader: each of `candidates` (file names or paths) in turn. Returns 0 and
/// fills `out` on success; otherwise -1 with dlerror's text (or the missing symbol) in `message`.
/// The library is never closed: drivers keep threads and atexit handlers inside it.
int cvk_open_loader(const char *const *candidates, int candidateCount, CVkGlobalFunctions *out,
                    char *message, size_t messageCapacity);

/// Fills `out` through vkGetInstanceProcAddr; returns how many functions are missing (0 = all found).
int cvk_load_instance_functions(const CVkGlobalFunctions *global, VkInstance instance,
                                CVkInstanceFunctions *out);

/// Fills `out` through vkGetDeviceProcAddr; returns how many functions are missing.
int cvk_load_device_functions(const CVkInstanceFunctions *instance, VkDevice device,
                              CVkDeviceFunctions *out);

// Macros Swift does not import.
uint32_t cvk_make_api_version(uint32_t variant, uint32_t major, uint32_t minor, uint32_t patch);
uint32_t cvk_api_version_major(uint32_t version);
uint32_t cvk_api_version_minor(uint32_t version);
uint32_t cvk_api_version_patch(uint32_t version);
uint64_t cvk_whole_size(void);

/// Counts of validation-layer messages seen by a debug messenger (updated atomically).
typedef struct CVkMessageCounts {
  int32_t errors;
  int32_t warnings;
  /// When nonzero, each message is also printed to stderr.
  int32_t printMessages;
} CVkMessageCounts;

/// Installs a VK_EXT_debug_utils messenger for warnings and errors that counts them into `counts`
/// (which must outlive the messenger). Returns the vkCreateDebugUtilsMessengerEXT result, or
/// VK_ERROR_EXTENSION_NOT_PRESENT when the extension's functions are missing.
VkResult cvk_create_debug_messenger(const CVkGlobalFunctions *global, VkInstance instance,
                                    CVkMessageCounts *counts, VkDebugUtilsMessengerEXT *out);
void cvk_destroy_debug_messenger(const CVkGlobalFunctions *global, VkInstance instance,
                                 VkDebugUtilsMessengerEXT messenger);
