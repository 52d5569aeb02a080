/*
 * Points this process's standard error (file descriptor 2) at a file for a while, then back.
 *
 * TensorFlow's shared library logs a few notes while it is being loaded, before its logging has read
 * TF_CPP_MIN_LOG_LEVEL, straight to file descriptor 2: nothing in JavaScript can redirect that. The
 * backend loads native TensorFlow between begin() and end() and passes on what the setting lets through
 * (lib/backend/tf.ts).
 *
 *   begin(file) -> saved   file descriptor 2 now writes to `file` (created, truncated, mode 0600)
 *   end(saved)             file descriptor 2 writes where it did before begin()
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <node_api.h>

static napi_value fail(napi_env env, const char *what) {
  napi_throw_error(env, NULL, what);
  return NULL;
}

static napi_value begin(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char file[4096];
  size_t length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1 ||
      napi_get_value_string_utf8(env, argv[0], file, sizeof file, &length) != napi_ok ||
      length >= sizeof file - 1)
    return fail(env, "begin(file): file must be a path");
  int target = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (target < 0) return fail(env, strerror(errno));
  int saved = fcntl(2, F_DUPFD_CLOEXEC, 3);
  if (saved < 0 || dup2(target, 2) < 0) {
    int error = errno;
    if (saved >= 0) close(saved);
    close(target);
    return fail(env, strerror(error));
  }
  close(target);
  napi_value result;
  napi_create_int32(env, saved, &result);
  return result;
}

static napi_value end(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t saved;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1 ||
      napi_get_value_int32(env, argv[0], &saved) != napi_ok || saved < 3)
    return fail(env, "end(saved): saved must be what begin() returned");
  if (dup2(saved, 2) < 0) return fail(env, strerror(errno));
  close(saved);
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_value function;
  napi_create_function(env, "begin", NAPI_AUTO_LENGTH, begin, NULL, &function);
  napi_set_named_property(env, exports, "begin", function);
  napi_create_function(env, "end", NAPI_AUTO_LENGTH, end, NULL, &function);
  napi_set_named_property(env, exports, "end", function);
  return exports;
}
