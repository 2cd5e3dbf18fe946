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
  // Where Dear ImGui keeps the panels' places and sizes (its imgui.ini), read at start and
  // written on the way out; empty: none (screenshots and smoke runs, so they are reproducible).
  std::string layout_file;
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
  // What the window manager's close button does: sets shouldClose() on the real window (the
  // smoke mode quits this way, so the path a user's click takes is the one tested).
  void requestClose();
  void setTitle(const std::string& title);
  // A key pressed or released as GLFW would report it (`mods`: GLFW_MOD_* bits), through the
  // key callback installed on the window (Dear ImGui's): the smoke mode's keyboard.
  void sendKey(int key, bool pressed, int mods);

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
  std::string layout_file_;  // io.IniFilename points here: it must outlive the ImGui context
  bool glfw_ready_ = false;
  bool imgui_ready_ = false;
  bool ignore_mouse_ = false;
  float content_scale_ = 1.0f;
};

}  // namespace cx::studio
