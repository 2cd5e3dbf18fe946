// Platform: the GLFW window, its OpenGL 3.3 core context and Dear ImGui's setup, in one place
// so the rest of the studio only sees "begin a frame, draw panels, end the frame".
#pragma once

#include <string>
#include <vector>

struct GLFWwindow;

namespace cx::studio {

struct WindowOptions {
  int width = 1280;  // in screen coordinates (scaled by the monitor's content scale)
  int height = 800;
  std::string title = "CX Studio";
  bool save_layout = true;  // write imgui.ini; off for screenshots, so they are reproducible
  // Ignore the pointer (smoke mode): Xvfb leaves it over the window, and the pictures would
  // show whatever tooltip or hover readout happens to be under it.
  bool ignore_mouse = false;
};

// An RGB image read back from the framebuffer, top row first.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<unsigned char> pixels;  // width * height * 3 bytes
};

class Platform {
 public:
  Platform() = default;
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;
  ~Platform();  // shuts ImGui, the context and GLFW down, in that order

  // Opens the window and sets Dear ImGui up (style, DPI scale, font). Returns false with a
  // message in `error` when there is no display or no OpenGL 3.3 core context.
  bool open(const WindowOptions& options, std::string& error);

  bool shouldClose() const;
  // The window manager's close button sets shouldClose(); the app may say "not yet" (unsaved
  // edits) and ask the user first.
  void cancelClose();
  void setTitle(const std::string& title);

  // One frame: beginFrame() polls events and starts an ImGui frame; the caller draws its
  // windows; render() draws them into the back buffer; present() swaps buffers.
  void beginFrame();
  void render();
  void present();

  // The back buffer as it is after render() (before present()).
  RgbImage readBackBuffer() const;

  float contentScale() const { return content_scale_; }

 private:
  void loadFont();

  GLFWwindow* window_ = nullptr;
  bool glfw_ready_ = false;
  bool imgui_ready_ = false;
  bool ignore_mouse_ = false;
  float content_scale_ = 1.0f;
};

}  // namespace cx::studio
