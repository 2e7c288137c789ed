export * from './xml-tree.js';
export { parseXml, XML_LIMITS, type XmlLimits } from './parse-xml.js';
