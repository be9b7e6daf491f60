// Problem types of the attachments module (slugs are stable; texts may change). Arguments never
// carry the file's content, its name or its metadata: only what kind of file it seemed to be and
// which limit it broke.
//
// Layer: attachments domain.
#pragma once

#include <array>
#include <string_view>

#include "core/problem_text.h"

namespace gz::attachments::problems {

inline constexpr std::string_view kEmpty = "attachments/empty";                      // 400
inline constexpr std::string_view kTooLarge = "attachments/too-large";               // 413 {limit}
inline constexpr std::string_view kUnsupportedType = "attachments/unsupported-type"; // 415 {accepted}
inline constexpr std::string_view kNotAnImage = "attachments/not-an-image";          // 415 {detected}
inline constexpr std::string_view kTypeMismatch = "attachments/type-mismatch";       // 415 {declared} {detected}
inline constexpr std::string_view kCorrupt = "attachments/corrupt";                  // 400 {reason}
inline constexpr std::string_view kPolyglot = "attachments/polyglot";                // 400 {reason}
inline constexpr std::string_view kTooManyPixels = "attachments/too-many-pixels";    // 413 {width} {height} {max_side} {max_megapixels}
inline constexpr std::string_view kCannotReencode = "attachments/cannot-reencode";   // 400
inline constexpr std::string_view kBusy = "attachments/busy";                        // 503
inline constexpr std::string_view kAttachmentNotFound = "attachments/attachment-not-found";  // 404
inline constexpr std::string_view kTooMany = "attachments/too-many";                 // 409 {limit}

inline constexpr std::array<ProblemText, 12> kTexts = {{
    {kEmpty, "文件为空", "请选择一张照片再上传", "Empty file", "Choose a photo to upload"},
    {kTooLarge, "文件过大", "照片不能超过 {limit} 字节，请压缩后再上传", "File too large",
     "A photo may have at most {limit} bytes; make it smaller and try again"},
    {kUnsupportedType, "不支持的文件类型", "只能上传 {accepted} 格式的照片（请求的 Content-Type 须与之一致）",
     "Unsupported file type", "Only {accepted} photos can be uploaded (with a matching Content-Type)"},
    {kNotAnImage, "不是照片", "文件内容不是 JPEG、PNG 或 WebP 照片（识别为 {detected}）", "Not a photo",
     "The file is not a JPEG, PNG or WebP photo (it looks like {detected})"},
    {kTypeMismatch, "文件类型与内容不符", "声明的类型是 {declared}，但文件内容是 {detected}",
     "File type does not match its content", "The file was sent as {declared} but its content is {detected}"},
    {kCorrupt, "照片已损坏", "照片文件不完整或已损坏（{reason}），请重新拍摄或选择其他照片", "Damaged photo",
     "The photo is incomplete or damaged ({reason}); take it again or choose another one"},
    {kPolyglot, "文件中夹带了其他内容", "照片中夹带了压缩包、网页或脚本等内容（{reason}），已拒绝",
     "File carries other content", "The photo carries an archive, a web page or a script ({reason}) and was refused"},
    {kTooManyPixels, "照片尺寸过大", "照片为 {width}×{height} 像素；每边不能超过 {max_side} 像素，总数不能超过 {max_megapixels} 百万像素",
     "Photo dimensions too large",
     "The photo has {width}×{height} pixels; at most {max_side} per side and {max_megapixels} megapixels in all"},
    {kCannotReencode, "无法处理该照片", "该照片无法转换为可安全显示的格式，请换一张照片", "Photo cannot be processed",
     "The photo could not be converted to a safe format; choose another one"},
    {kBusy, "正在处理其他照片", "服务器正在处理其他照片，请稍后重试", "Busy with other photos",
     "The server is processing other photos; please try again shortly"},
    {kAttachmentNotFound, "照片不存在", "没有该照片", "Photo not found", "There is no such photo"},
    {kTooMany, "照片数量已达上限", "每项最多 {limit} 张照片", "Too many photos", "At most {limit} photos each"},
}};

}  // namespace gz::attachments::problems
