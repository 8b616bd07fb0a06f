// cachelab report DIR [--out FILE]: one self-contained HTML page for a run, a sweep or a plan directory
// (report/html_report.hpp). The default output is <DIR's name>-report.html in the current directory, never inside a
// results directory (check_output_file); the page is written to a temporary file and renamed into place, so a
// failed write leaves nothing half-written.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <unistd.h>

#include "cachelab/io/number_format.hpp"
#include "cachelab/io/text.hpp"
#include "cachelab/report/html_report.hpp"
#include "cachelab/results/reader.hpp"
#include "cachelab/results/writer.hpp"
#include "commands.hpp"

namespace cachelab::cli {

namespace fs = std::filesystem;

static void add_report(CLI::App& app, Context& ctx) {
  int* code_ptr = &ctx.code;
  auto* cmd = app.add_subcommand("report",
                                 "one self-contained HTML page (inline SVG charts) for a run, sweep or plan directory");
  struct Opts {
    std::string dir, out;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("DIR", o->dir, "a run directory, a sweep directory (sweep.json) or a plan directory (plan.json)")
      ->required();
  cmd->add_option("--out", o->out, "the HTML file (default: <DIR's name>-report.html in the current directory)");
  cmd->callback([code_ptr, o] {
    const fs::path dir = fs::path(o->dir).lexically_normal();
    fs::path out = o->out;
    if (out.empty()) {
      std::string name = (dir.filename().empty() ? dir.parent_path().filename() : dir.filename()).string();
      if (name.empty() || name == "." || name == "..") name = "results";
      out = name + "-report.html";
    }
    if (const std::string why = check_output_file(out); !why.empty()) {
      std::cerr << "cachelab report: " << io::printable(why) << "\n";
      *code_ptr = kExitBadInput;
      return;
    }
    std::string html;
    try {
      html = report::report_html(dir);
    } catch (const ResultsError& e) {
      std::cerr << "cachelab report: " << io::printable(e.what(), 2000) << "\n";
      *code_ptr = kExitBadInput;
      return;
    }
    // Regular files: temp + rename; special files (/dev/stdout) are written as a stream.
    std::error_code ec;
    const bool regular = !fs::exists(out, ec) || fs::is_regular_file(out, ec);
    const fs::path tmp = regular ? fs::path(out.string() + ".tmp-" + std::to_string(::getpid())) : out;
    {
      std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
      f << html;
      f.close();
      if (!f) {
        std::cerr << "cachelab report: cannot write " << io::printable(tmp.string()) << "\n";
        fs::remove(tmp, ec);
        *code_ptr = kExitFailure;
        return;
      }
    }
    if (regular) {
      fs::rename(tmp, out, ec);
      if (ec) {
        std::cerr << "cachelab report: cannot write " << io::printable(out.string()) << ": " << ec.message() << "\n";
        fs::remove(tmp, ec);
        *code_ptr = kExitFailure;
        return;
      }
    }
    std::printf("report  %s (%s)\n", out.string().c_str(), fmt::bytes(static_cast<double>(html.size())).c_str());
    *code_ptr = kExitOk;
  });
}

static const Command report_command("report", add_report);

}  // namespace cachelab::cli
