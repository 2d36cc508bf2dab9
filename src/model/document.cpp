#include "model/document.h"

namespace mcdewey::model {

const char* format_name(Format f) {
  switch (f) {
    case Format::kPdf: return "pdf";
    case Format::kHtml: return "html";
    case Format::kMarkdown: return "markdown";
    case Format::kText: return "text";
  }
  return "text";
}

}  // namespace mcdewey::model
