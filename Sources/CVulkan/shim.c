// CVulkan shim: dlopen of the Vulkan loader, function tables, API-version macros and a
// counting debug messenger (VK_EXT_debug_utils). See include/CVulkan.h.
#include "CVulkan.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int cvk_open_loader(const char *const *candidates, int candidateCount, CVkGlobalFunctions *out,
                    char *message, size_t messageCapacity) {
  memset(out, 0, sizeof *out);
  if (messageCapacity > 0) message[0] = 0;
  for (int i = 0; i < candidateCount; i++) {
    void *library = dlopen(candidates[i], RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      // Keep the first failure: it names the system library, the likeliest to matter.
      const char *why = dlerror();
      if (messageCapacity > 0 && message[0] == 0) snprintf(message, messageCapacity, "%s", why ? why : candidates[i]);
      continue;
    }
    out->vkGetInstanceProcAddr = (PFN_vkGetInstanceProcAddr)dlsym(library, "vkGetInstanceProcAddr");
    if (!out->vkGetInstanceProcAddr) {
      if (messageCapacity > 0 && message[0] == 0)
        snprintf(message, messageCapacity, "%s has no vkGetInstanceProcAddr", candidates[i]);
      dlclose(library);
      continue;
    }
#define CVK_LOAD(name) out->vk##name = (PFN_vk##name)out->vkGetInstanceProcAddr(NULL, "vk" #name);
    CVK_GLOBAL_FUNCTIONS(CVK_LOAD)
#undef CVK_LOAD
    if (!out->vkCreateInstance) {
      if (messageCapacity > 0 && message[0] == 0)
        snprintf(message, messageCapacity, "%s does not provide vkCreateInstance", candidates[i]);
      continue;
    }
    return 0;
  }
  return -1;
}

int cvk_load_instance_functions(const CVkGlobalFunctions *global, VkInstance instance,
                                CVkInstanceFunctions *out) {
  int missing = 0;
#define CVK_LOAD(name)                                                                             \
  out->vk##name = (PFN_vk##name)global->vkGetInstanceProcAddr(instance, "vk" #name);             \
  if (!out->vk##name) missing++;
  CVK_INSTANCE_FUNCTIONS(CVK_LOAD)
#undef CVK_LOAD
  return missing;
}

int cvk_load_device_functions(const CVkInstanceFunctions *instance, VkDevice device,
                              CVkDeviceFunctions *out) {
  int missing = 0;
#define CVK_LOAD(name)                                                                             \
  out->vk##name = (PFN_vk##name)instance->vkGetDeviceProcAddr(device, "vk" #name);               \
  if (!out->vk##name) missing++;
  CVK_DEVICE_FUNCTIONS(CVK_LOAD)
#undef CVK_LOAD
  return missing;
}

uint32_t cvk_make_api_version(uint32_t variant, uint32_t major, uint32_t minor, uint32_t patch) {
  return VK_MAKE_API_VERSION(variant, major, minor, patch);
}
uint32_t cvk_api_version_major(uint32_t version) { return VK_API_VERSION_MAJOR(version); }
uint32_t cvk_api_version_minor(uint32_t version) { return VK_API_VERSION_MINOR(version); }
uint32_t cvk_api_version_patch(uint32_t version) { return VK_API_VERSION_PATCH(version); }
uint64_t cvk_whole_size(void) { return VK_WHOLE_SIZE; }

static VKAPI_ATTR VkBool32 VKAPI_CALL
cvk_debug_callback(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                   VkDebugUtilsMessageTypeFlagsEXT types,
                   const VkDebugUtilsMessengerCallbackDataEXT *data, void *userData) {
  (void)types;
  CVkMessageCounts *counts = (CVkMessageCounts *)userData;
  int isError = (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) != 0;
  __atomic_fetch_add(isError ? &counts->errors : &counts->warnings, 1, __ATOMIC_RELAXED);
  if (__atomic_load_n(&counts->printMessages, __ATOMIC_RELAXED)) {
    fprintf(stderr, "[vulkan %s] %s\n", isError ? "error" : "warning",
            data && data->pMessage ? data->pMessage : "(no message)");
  }
  return VK_FALSE;  // never abort the call that triggered the message
}

VkResult cvk_create_debug_messenger(const CVkGlobalFunctions *global, VkInstance instance,
                                    CVkMessageCounts *counts, VkDebugUtilsMessengerEXT *out) {
  PFN_vkCreateDebugUtilsMessengerEXT create = (PFN_vkCreateDebugUtilsMessengerEXT)
      global->vkGetInstanceProcAddr(instance, "vkCreateDebugUtilsMessengerEXT");
  if (!create) return VK_ERROR_EXTENSION_NOT_PRESENT;
  VkDebugUtilsMessengerCreateInfoEXT info = {
      .sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
      .messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                         VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
      .messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                     VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                     VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT,
      .pfnUserCallback = cvk_debug_callback,
      .pUserData = counts,
  };
  return create(instance, &info, NULL, out);
}

void cvk_destroy_debug_messenger(const CVkGlobalFunctions *global, VkInstance instance,
                                 VkDebugUtilsMessengerEXT messenger) {
  PFN_vkDestroyDebugUtilsMessengerEXT destroy = (PFN_vkDestroyDebugUtilsMessengerEXT)
      global->vkGetInstanceProcAddr(instance, "vkDestroyDebugUtilsMessengerEXT");
  if (destroy && messenger) destroy(instance, messenger, NULL);
}
