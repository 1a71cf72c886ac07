/**
 * `netkit/email/mime`: Python's `email.mime` classes in one import (each is
 * also at `netkit/email/mime/<name>`, as Python's `email.mime.<name>`).
 *
 * ```text
 * Message
 *  └── MIMEBase
 *       ├── MIMEMultipart
 *       └── MIMENonMultipart
 *            ├── MIMEText, MIMEApplication, MIMEImage, MIMEAudio
 *            └── MIMEMessage
 * ```
 *
 * @module
 */
export { MIMEApplication } from "./application.js";
export { MIMEAudio, whatAudio } from "./audio.js";
export { MIMEBase, type MIMEOptions } from "./base.js";
export { MIMEImage, whatImage } from "./image.js";
export { MIMEMessage } from "./message.js";
export { MIMEMultipart } from "./multipart.js";
export { MIMENonMultipart } from "./nonmultipart.js";
export { MIMEText } from "./text.js";
