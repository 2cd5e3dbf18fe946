#include "gui/platform.hpp"

#include <glad/gl.h>  // before GLFW (built with GLFW_INCLUDE_NONE)

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cfloat>
#include <filesystem>
#include <system_error>

namespace cx::studio {

namespace {

// The last message GLFW reported; GLFW calls back instead of returning errors.
std::string g_glfw_error;

void onGlfwError(int code, const char* description) {
  g_glfw_error = description != nullptr ? description : "unknown error";
  g_glfw_error += " (GLFW error " + std::to_string(code) + ")";
}

std::string lastGlfwError() {
  return g_glfw_error.empty() ? "no details" : g_glfw_error;
}

constexpr float kFontPixels = 16.0f;  // at content scale 1; DejaVu Sans is readable here

// A font that reads well, from a Debian package (fonts-dejavu-core); ImGui's built-in
// ProggyClean is the fallback when it is not installed.
constexpr const char* kFontCandidates[] = {
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
};

// Latin-1 plus the punctuation, Greek letters and signs the panels use (–, —, α, ×, …).
// ImGui keeps a pointer to this until the atlas is built, hence static storage.
constexpr ImWchar kGlyphRanges[] = {
    0x0020, 0x00FF,  // Basic Latin, Latin-1 Supplement
    0x0370, 0x03FF,  // Greek
    0x2010, 0x205E,  // General Punctuation
    0x2190, 0x21FF,  // Arrows
    0x2200, 0x22FF,  // Mathematical Operators
    0,
};

}  // namespace

Platform::~Platform() {
  if (imgui_ready_) {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
  }
  if (window_ != nullptr) glfwDestroyWindow(window_);
  if (glfw_ready_) glfwTerminate();
}

bool Platform::open(const WindowOptions& options, std::string& error) {
  glfwSetErrorCallback(onGlfwError);
  if (glfwInit() == GLFW_FALSE) {
    error = "cannot open a window: GLFW could not start (" + lastGlfwError() +
            "). Is there a display? Without one, run under xvfb-run.";
    return false;
  }
  glfw_ready_ = true;
  ignore_mouse_ = options.ignore_mouse;

  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  window_ =
      glfwCreateWindow(options.width, options.height, options.title.c_str(), nullptr, nullptr);
  if (window_ == nullptr) {
    error = "cannot open a window with an OpenGL 3.3 core context (" + lastGlfwError() + ")";
    return false;
  }
  glfwMakeContextCurrent(window_);
  glfwSwapInterval(1);  // vsync: no busy loop on a real display

  if (gladLoadGL(glfwGetProcAddress) == 0) {
    error = "cannot open a window: the OpenGL 3.3 functions could not be loaded";
    return false;
  }

  float scale_x = 1.0f;
  float scale_y = 1.0f;
  glfwGetWindowContentScale(window_, &scale_x, &scale_y);
  content_scale_ = std::clamp(std::max(scale_x, scale_y), 1.0f, 4.0f);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  // Not imgui.ini in whatever folder the app was started from: the file the caller chose (the
  // user's config folder), or none.
  layout_file_ = options.layout_file;
  io.IniFilename = layout_file_.empty() ? nullptr : layout_file_.c_str();
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  ImGui::StyleColorsDark();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 4.0f;
  style.FrameRounding = 3.0f;
  style.ScaleAllSizes(content_scale_);
  loadFont();

  ImGui_ImplGlfw_InitForOpenGL(window_, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  imgui_ready_ = true;
  return true;
}

void Platform::loadFont() {
  ImGuiIO& io = ImGui::GetIO();
  const float pixels = kFontPixels * content_scale_;
  for (const char* candidate : kFontCandidates) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(candidate, ec)) continue;
    ImFontConfig config;
    config.OversampleH = 2;
    if (io.Fonts->AddFontFromFileTTF(candidate, pixels, &config, kGlyphRanges) != nullptr) return;
  }
  ImFontConfig config;
  config.SizePixels = 13.0f * content_scale_;
  io.Fonts->AddFontDefault(&config);
}

bool Platform::shouldClose() const {
  return glfwWindowShouldClose(window_) != 0;
}

void Platform::cancelClose() {
  glfwSetWindowShouldClose(window_, GLFW_FALSE);
}

void Platform::requestClose() {
  glfwSetWindowShouldClose(window_, GLFW_TRUE);
}

void Platform::sendKey(int key, bool pressed, int mods) {
  // GLFW has no way to inject events: call what it would call, the installed callback.
  const GLFWkeyfun callback = glfwSetKeyCallback(window_, nullptr);
  glfwSetKeyCallback(window_, callback);
  if (callback != nullptr)
    callback(window_, key, glfwGetKeyScancode(key), pressed ? GLFW_PRESS : GLFW_RELEASE, mods);
}

void Platform::setTitle(const std::string& title) {
  glfwSetWindowTitle(window_, title.c_str());
}

void Platform::beginFrame() {
  glfwPollEvents();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  if (ignore_mouse_) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);  // ImGui's "none"
  ImGui::NewFrame();
}

void Platform::render() {
  ImGui::Render();
  int width = 0;
  int height = 0;
  glfwGetFramebufferSize(window_, &width, &height);
  glViewport(0, 0, width, height);
  // The window background as it looks over the old clear colour: panels that overlap nothing
  // draw no background of their own (beginPanel), so they look as before.
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  const auto over = [&bg](float under, float top) { return top * bg.w + under * (1.0f - bg.w); };
  glClearColor(over(0.10f, bg.x), over(0.11f, bg.y), over(0.13f, bg.z), 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void Platform::present() {
  glfwSwapBuffers(window_);
}

RgbImage Platform::readBackBuffer() const {
  RgbImage image;
  glfwGetFramebufferSize(window_, &image.width, &image.height);
  if (image.width <= 0 || image.height <= 0) return image;
  const std::size_t row = static_cast<std::size_t>(image.width) * 3;
  std::vector<unsigned char> bottom_up(row * static_cast<std::size_t>(image.height));
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, image.width, image.height, GL_RGB, GL_UNSIGNED_BYTE, bottom_up.data());
  // OpenGL's first row is the bottom one; images start at the top.
  image.pixels.resize(bottom_up.size());
  for (int y = 0; y < image.height; ++y) {
    std::copy_n(bottom_up.data() + static_cast<std::size_t>(image.height - 1 - y) * row, row,
                image.pixels.data() + static_cast<std::size_t>(y) * row);
  }
  return image;
}

}  // namespace cx::studio
