package dev.kobj.elf;

import java.util.Map;
import java.util.Optional;

/**
 * Names of relocation types, as readelf prints them, for the machines kobj links:
 * x86-64 (System V AMD64 psABI, "Relocation Types"), AArch64 (aaelf64, both the LP64
 * and the ILP32 {@code P32} numbers, which share one number space) and RISC-V
 * (riscv-elf-psabi, "Relocations"; RV32 and RV64 share the numbers).
 *
 * <p>The tables were read off GNU readelf 2.40, one type at a time, and a test compares
 * them with the readelf of the machine. R_RISCV_PLT32, SET_ULEB128 and SUB_ULEB128 come
 * from the psABI: readelf 2.40 predates them.
 */
public final class RelocationTypes {
    private RelocationTypes() {
    }

    private static final Map<Integer, String> X86_64 = Map.ofEntries(
            Map.entry(0, "R_X86_64_NONE"),
            Map.entry(1, "R_X86_64_64"),
            Map.entry(2, "R_X86_64_PC32"),
            Map.entry(3, "R_X86_64_GOT32"),
            Map.entry(4, "R_X86_64_PLT32"),
            Map.entry(5, "R_X86_64_COPY"),
            Map.entry(6, "R_X86_64_GLOB_DAT"),
            Map.entry(7, "R_X86_64_JUMP_SLOT"),
            Map.entry(8, "R_X86_64_RELATIVE"),
            Map.entry(9, "R_X86_64_GOTPCREL"),
            Map.entry(10, "R_X86_64_32"),
            Map.entry(11, "R_X86_64_32S"),
            Map.entry(12, "R_X86_64_16"),
            Map.entry(13, "R_X86_64_PC16"),
            Map.entry(14, "R_X86_64_8"),
            Map.entry(15, "R_X86_64_PC8"),
            Map.entry(16, "R_X86_64_DTPMOD64"),
            Map.entry(17, "R_X86_64_DTPOFF64"),
            Map.entry(18, "R_X86_64_TPOFF64"),
            Map.entry(19, "R_X86_64_TLSGD"),
            Map.entry(20, "R_X86_64_TLSLD"),
            Map.entry(21, "R_X86_64_DTPOFF32"),
            Map.entry(22, "R_X86_64_GOTTPOFF"),
            Map.entry(23, "R_X86_64_TPOFF32"),
            Map.entry(24, "R_X86_64_PC64"),
            Map.entry(25, "R_X86_64_GOTOFF64"),
            Map.entry(26, "R_X86_64_GOTPC32"),
            Map.entry(27, "R_X86_64_GOT64"),
            Map.entry(28, "R_X86_64_GOTPCREL64"),
            Map.entry(29, "R_X86_64_GOTPC64"),
            Map.entry(30, "R_X86_64_GOTPLT64"),
            Map.entry(31, "R_X86_64_PLTOFF64"),
            Map.entry(32, "R_X86_64_SIZE32"),
            Map.entry(33, "R_X86_64_SIZE64"),
            Map.entry(34, "R_X86_64_GOTPC32_TLSDESC"),
            Map.entry(35, "R_X86_64_TLSDESC_CALL"),
            Map.entry(36, "R_X86_64_TLSDESC"),
            Map.entry(37, "R_X86_64_IRELATIVE"),
            Map.entry(38, "R_X86_64_RELATIVE64"),
            Map.entry(39, "R_X86_64_PC32_BND"),
            Map.entry(40, "R_X86_64_PLT32_BND"),
            Map.entry(41, "R_X86_64_GOTPCRELX"),
            Map.entry(42, "R_X86_64_REX_GOTPCRELX")
    );

    private static final Map<Integer, String> AARCH64 = Map.ofEntries(
            Map.entry(0, "R_AARCH64_NONE"),
            Map.entry(1, "R_AARCH64_P32_ABS32"),
            Map.entry(2, "R_AARCH64_P32_ABS16"),
            Map.entry(3, "R_AARCH64_P32_PREL32"),
            Map.entry(4, "R_AARCH64_P32_PREL16"),
            Map.entry(5, "R_AARCH64_P32_MOVW_UABS_G0"),
            Map.entry(6, "R_AARCH64_P32_MOVW_UABS_G0_NC"),
            Map.entry(7, "R_AARCH64_P32_MOVW_UABS_G1"),
            Map.entry(8, "R_AARCH64_P32_MOVW_SABS_G0"),
            Map.entry(9, "R_AARCH64_P32_LD_PREL_LO19"),
            Map.entry(10, "R_AARCH64_P32_ADR_PREL_LO21"),
            Map.entry(11, "R_AARCH64_P32_ADR_PREL_PG_HI21"),
            Map.entry(12, "R_AARCH64_P32_ADD_ABS_LO12_NC"),
            Map.entry(13, "R_AARCH64_P32_LDST8_ABS_LO12_NC"),
            Map.entry(14, "R_AARCH64_P32_LDST16_ABS_LO12_NC"),
            Map.entry(15, "R_AARCH64_P32_LDST32_ABS_LO12_NC"),
            Map.entry(16, "R_AARCH64_P32_LDST64_ABS_LO12_NC"),
            Map.entry(17, "R_AARCH64_P32_LDST128_ABS_LO12_NC"),
            Map.entry(18, "R_AARCH64_P32_TSTBR14"),
            Map.entry(19, "R_AARCH64_P32_CONDBR19"),
            Map.entry(20, "R_AARCH64_P32_JUMP26"),
            Map.entry(21, "R_AARCH64_P32_CALL26"),
            Map.entry(22, "R_AARCH64_P32_MOVW_PREL_G0"),
            Map.entry(23, "R_AARCH64_P32_MOVW_PREL_G0_NC"),
            Map.entry(24, "R_AARCH64_P32_MOVW_PREL_G1"),
            Map.entry(25, "R_AARCH64_P32_GOT_LD_PREL19"),
            Map.entry(26, "R_AARCH64_P32_ADR_GOT_PAGE"),
            Map.entry(27, "R_AARCH64_P32_LD32_GOT_LO12_NC"),
            Map.entry(28, "R_AARCH64_P32_LD32_GOTPAGE_LO14"),
            Map.entry(80, "R_AARCH64_P32_TLSGD_ADR_PREL21"),
            Map.entry(81, "R_AARCH64_P32_TLSGD_ADR_PAGE21"),
            Map.entry(82, "R_AARCH64_P32_TLSGD_ADD_LO12_NC"),
            Map.entry(83, "R_AARCH64_P32_TLSLD_ADR_PREL21"),
            Map.entry(84, "R_AARCH64_P32_TLSLD_ADR_PAGE21"),
            Map.entry(85, "R_AARCH64_P32_TLSLD_ADD_LO12_NC"),
            Map.entry(87, "R_AARCH64_P32_TLSLD_MOVW_DTPREL_G1"),
            Map.entry(88, "R_AARCH64_P32_TLSLD_MOVW_DTPREL_G0"),
            Map.entry(89, "R_AARCH64_P32_TLSLD_MOVW_DTPREL_G0_NC"),
            Map.entry(90, "R_AARCH64_P32_TLSLD_ADD_DTPREL_HI12"),
            Map.entry(91, "R_AARCH64_P32_TLSLD_ADD_DTPREL_LO12"),
            Map.entry(92, "R_AARCH64_P32_TLSLD_ADD_DTPREL_LO12_NC"),
            Map.entry(103, "R_AARCH64_P32_TLSIE_ADR_GOTTPREL_PAGE21"),
            Map.entry(104, "R_AARCH64_P32_TLSIE_LD32_GOTTPREL_LO12_NC"),
            Map.entry(105, "R_AARCH64_P32_TLSIE_LD_GOTTPREL_PREL19"),
            Map.entry(106, "R_AARCH64_P32_TLSLE_MOVW_TPREL_G1"),
            Map.entry(107, "R_AARCH64_P32_TLSLE_MOVW_TPREL_G0"),
            Map.entry(108, "R_AARCH64_P32_TLSLE_MOVW_TPREL_G0_NC"),
            Map.entry(109, "R_AARCH64_P32_TLSLE_ADD_TPREL_HI12"),
            Map.entry(110, "R_AARCH64_P32_TLSLE_ADD_TPREL_LO12"),
            Map.entry(111, "R_AARCH64_P32_TLSLE_ADD_TPREL_LO12_NC"),
            Map.entry(112, "R_AARCH64_P32_TLSLE_LDST8_TPREL_LO12"),
            Map.entry(113, "R_AARCH64_P32_TLSLE_LDST8_TPREL_LO12_NC"),
            Map.entry(114, "R_AARCH64_P32_TLSLE_LDST16_TPREL_LO12"),
            Map.entry(115, "R_AARCH64_P32_TLSLE_LDST16_TPREL_LO12_NC"),
            Map.entry(116, "R_AARCH64_P32_TLSLE_LDST32_TPREL_LO12"),
            Map.entry(117, "R_AARCH64_P32_TLSLE_LDST32_TPREL_LO12_NC"),
            Map.entry(118, "R_AARCH64_P32_TLSLE_LDST64_TPREL_LO12"),
            Map.entry(119, "R_AARCH64_P32_TLSLE_LDST64_TPREL_LO12_NC"),
            Map.entry(122, "R_AARCH64_P32_TLSDESC_LD_PREL19"),
            Map.entry(123, "R_AARCH64_P32_TLSDESC_ADR_PREL21"),
            Map.entry(124, "R_AARCH64_P32_TLSDESC_ADR_PAGE21"),
            Map.entry(125, "R_AARCH64_P32_TLSDESC_LD32_LO12_NC"),
            Map.entry(126, "R_AARCH64_P32_TLSDESC_ADD_LO12_NC"),
            Map.entry(127, "R_AARCH64_P32_TLSDESC_CALL"),
            Map.entry(180, "R_AARCH64_P32_COPY"),
            Map.entry(181, "R_AARCH64_P32_GLOB_DAT"),
            Map.entry(182, "R_AARCH64_P32_JUMP_SLOT"),
            Map.entry(183, "R_AARCH64_P32_RELATIVE"),
            Map.entry(184, "R_AARCH64_P32_TLS_DTPMOD"),
            Map.entry(185, "R_AARCH64_P32_TLS_DTPREL"),
            Map.entry(186, "R_AARCH64_P32_TLS_TPREL"),
            Map.entry(187, "R_AARCH64_P32_TLSDESC"),
            Map.entry(188, "R_AARCH64_P32_IRELATIVE"),
            Map.entry(256, "R_AARCH64_NULL"),
            Map.entry(257, "R_AARCH64_ABS64"),
            Map.entry(258, "R_AARCH64_ABS32"),
            Map.entry(259, "R_AARCH64_ABS16"),
            Map.entry(260, "R_AARCH64_PREL64"),
            Map.entry(261, "R_AARCH64_PREL32"),
            Map.entry(262, "R_AARCH64_PREL16"),
            Map.entry(263, "R_AARCH64_MOVW_UABS_G0"),
            Map.entry(264, "R_AARCH64_MOVW_UABS_G0_NC"),
            Map.entry(265, "R_AARCH64_MOVW_UABS_G1"),
            Map.entry(266, "R_AARCH64_MOVW_UABS_G1_NC"),
            Map.entry(267, "R_AARCH64_MOVW_UABS_G2"),
            Map.entry(268, "R_AARCH64_MOVW_UABS_G2_NC"),
            Map.entry(269, "R_AARCH64_MOVW_UABS_G3"),
            Map.entry(270, "R_AARCH64_MOVW_SABS_G0"),
            Map.entry(271, "R_AARCH64_MOVW_SABS_G1"),
            Map.entry(272, "R_AARCH64_MOVW_SABS_G2"),
            Map.entry(273, "R_AARCH64_LD_PREL_LO19"),
            Map.entry(274, "R_AARCH64_ADR_PREL_LO21"),
            Map.entry(275, "R_AARCH64_ADR_PREL_PG_HI21"),
            Map.entry(276, "R_AARCH64_ADR_PREL_PG_HI21_NC"),
            Map.entry(277, "R_AARCH64_ADD_ABS_LO12_NC"),
            Map.entry(278, "R_AARCH64_LDST8_ABS_LO12_NC"),
            Map.entry(279, "R_AARCH64_TSTBR14"),
            Map.entry(280, "R_AARCH64_CONDBR19"),
            Map.entry(282, "R_AARCH64_JUMP26"),
            Map.entry(283, "R_AARCH64_CALL26"),
            Map.entry(284, "R_AARCH64_LDST16_ABS_LO12_NC"),
            Map.entry(285, "R_AARCH64_LDST32_ABS_LO12_NC"),
            Map.entry(286, "R_AARCH64_LDST64_ABS_LO12_NC"),
            Map.entry(287, "R_AARCH64_MOVW_PREL_G0"),
            Map.entry(288, "R_AARCH64_MOVW_PREL_G0_NC"),
            Map.entry(289, "R_AARCH64_MOVW_PREL_G1"),
            Map.entry(290, "R_AARCH64_MOVW_PREL_G1_NC"),
            Map.entry(291, "R_AARCH64_MOVW_PREL_G2"),
            Map.entry(292, "R_AARCH64_MOVW_PREL_G2_NC"),
            Map.entry(293, "R_AARCH64_MOVW_PREL_G3"),
            Map.entry(299, "R_AARCH64_LDST128_ABS_LO12_NC"),
            Map.entry(300, "R_AARCH64_MOVW_GOTOFF_G0"),
            Map.entry(301, "R_AARCH64_MOVW_GOTOFF_G0_NC"),
            Map.entry(302, "R_AARCH64_MOVW_GOTOFF_G1"),
            Map.entry(303, "R_AARCH64_MOVW_GOTOFF_G1_NC"),
            Map.entry(304, "R_AARCH64_MOVW_GOTOFF_G2"),
            Map.entry(305, "R_AARCH64_MOVW_GOTOFF_G2_NC"),
            Map.entry(306, "R_AARCH64_MOVW_GOTOFF_G3"),
            Map.entry(307, "R_AARCH64_GOTREL64"),
            Map.entry(308, "R_AARCH64_GOTREL32"),
            Map.entry(309, "R_AARCH64_GOT_LD_PREL19"),
            Map.entry(310, "R_AARCH64_LD64_GOTOFF_LO15"),
            Map.entry(311, "R_AARCH64_ADR_GOT_PAGE"),
            Map.entry(312, "R_AARCH64_LD64_GOT_LO12_NC"),
            Map.entry(313, "R_AARCH64_LD64_GOTPAGE_LO15"),
            Map.entry(512, "R_AARCH64_TLSGD_ADR_PREL21"),
            Map.entry(513, "R_AARCH64_TLSGD_ADR_PAGE21"),
            Map.entry(514, "R_AARCH64_TLSGD_ADD_LO12_NC"),
            Map.entry(515, "R_AARCH64_TLSGD_MOVW_G1"),
            Map.entry(516, "R_AARCH64_TLSGD_MOVW_G0_NC"),
            Map.entry(517, "R_AARCH64_TLSLD_ADR_PREL21"),
            Map.entry(518, "R_AARCH64_TLSLD_ADR_PAGE21"),
            Map.entry(519, "R_AARCH64_TLSLD_ADD_LO12_NC"),
            Map.entry(520, "R_AARCH64_TLSLD_MOVW_G1"),
            Map.entry(521, "R_AARCH64_TLSLD_MOVW_G0_NC"),
            Map.entry(522, "R_AARCH64_TLSLD_LD_PREL19"),
            Map.entry(523, "R_AARCH64_TLSLD_MOVW_DTPREL_G2"),
            Map.entry(524, "R_AARCH64_TLSLD_MOVW_DTPREL_G1"),
            Map.entry(525, "R_AARCH64_TLSLD_MOVW_DTPREL_G1_NC"),
            Map.entry(526, "R_AARCH64_TLSLD_MOVW_DTPREL_G0"),
            Map.entry(527, "R_AARCH64_TLSLD_MOVW_DTPREL_G0_NC"),
            Map.entry(528, "R_AARCH64_TLSLD_ADD_DTPREL_HI12"),
            Map.entry(529, "R_AARCH64_TLSLD_ADD_DTPREL_LO12"),
            Map.entry(530, "R_AARCH64_TLSLD_ADD_DTPREL_LO12_NC"),
            Map.entry(531, "R_AARCH64_TLSLD_LDST8_DTPREL_LO12"),
            Map.entry(532, "R_AARCH64_TLSLD_LDST8_DTPREL_LO12_NC"),
            Map.entry(533, "R_AARCH64_TLSLD_LDST16_DTPREL_LO12"),
            Map.entry(534, "R_AARCH64_TLSLD_LDST16_DTPREL_LO12_NC"),
            Map.entry(535, "R_AARCH64_TLSLD_LDST32_DTPREL_LO12"),
            Map.entry(536, "R_AARCH64_TLSLD_LDST32_DTPREL_LO12_NC"),
            Map.entry(537, "R_AARCH64_TLSLD_LDST64_DTPREL_LO12"),
            Map.entry(538, "R_AARCH64_TLSLD_LDST64_DTPREL_LO12_NC"),
            Map.entry(539, "R_AARCH64_TLSIE_MOVW_GOTTPREL_G1"),
            Map.entry(540, "R_AARCH64_TLSIE_MOVW_GOTTPREL_G0_NC"),
            Map.entry(541, "R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21"),
            Map.entry(542, "R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC"),
            Map.entry(543, "R_AARCH64_TLSIE_LD_GOTTPREL_PREL19"),
            Map.entry(544, "R_AARCH64_TLSLE_MOVW_TPREL_G2"),
            Map.entry(545, "R_AARCH64_TLSLE_MOVW_TPREL_G1"),
            Map.entry(546, "R_AARCH64_TLSLE_MOVW_TPREL_G1_NC"),
            Map.entry(547, "R_AARCH64_TLSLE_MOVW_TPREL_G0"),
            Map.entry(548, "R_AARCH64_TLSLE_MOVW_TPREL_G0_NC"),
            Map.entry(549, "R_AARCH64_TLSLE_ADD_TPREL_HI12"),
            Map.entry(550, "R_AARCH64_TLSLE_ADD_TPREL_LO12"),
            Map.entry(551, "R_AARCH64_TLSLE_ADD_TPREL_LO12_NC"),
            Map.entry(552, "R_AARCH64_TLSLE_LDST8_TPREL_LO12"),
            Map.entry(553, "R_AARCH64_TLSLE_LDST8_TPREL_LO12_NC"),
            Map.entry(554, "R_AARCH64_TLSLE_LDST16_TPREL_LO12"),
            Map.entry(555, "R_AARCH64_TLSLE_LDST16_TPREL_LO12_NC"),
            Map.entry(556, "R_AARCH64_TLSLE_LDST32_TPREL_LO12"),
            Map.entry(557, "R_AARCH64_TLSLE_LDST32_TPREL_LO12_NC"),
            Map.entry(558, "R_AARCH64_TLSLE_LDST64_TPREL_LO12"),
            Map.entry(559, "R_AARCH64_TLSLE_LDST64_TPREL_LO12_NC"),
            Map.entry(560, "R_AARCH64_TLSDESC_LD_PREL19"),
            Map.entry(561, "R_AARCH64_TLSDESC_ADR_PREL21"),
            Map.entry(562, "R_AARCH64_TLSDESC_ADR_PAGE21"),
            Map.entry(563, "R_AARCH64_TLSDESC_LD64_LO12"),
            Map.entry(564, "R_AARCH64_TLSDESC_ADD_LO12"),
            Map.entry(565, "R_AARCH64_TLSDESC_OFF_G1"),
            Map.entry(566, "R_AARCH64_TLSDESC_OFF_G0_NC"),
            Map.entry(567, "R_AARCH64_TLSDESC_LDR"),
            Map.entry(568, "R_AARCH64_TLSDESC_ADD"),
            Map.entry(569, "R_AARCH64_TLSDESC_CALL"),
            Map.entry(570, "R_AARCH64_TLSLE_LDST128_TPREL_LO12"),
            Map.entry(571, "R_AARCH64_TLSLE_LDST128_TPREL_LO12_NC"),
            Map.entry(572, "R_AARCH64_TLSLD_LDST128_DTPREL_LO12"),
            Map.entry(573, "R_AARCH64_TLSLD_LDST128_DTPREL_LO12_NC"),
            Map.entry(1024, "R_AARCH64_COPY"),
            Map.entry(1025, "R_AARCH64_GLOB_DAT"),
            Map.entry(1026, "R_AARCH64_JUMP_SLOT"),
            Map.entry(1027, "R_AARCH64_RELATIVE"),
            Map.entry(1028, "R_AARCH64_TLS_DTPMOD64"),
            Map.entry(1029, "R_AARCH64_TLS_DTPREL64"),
            Map.entry(1030, "R_AARCH64_TLS_TPREL64"),
            Map.entry(1031, "R_AARCH64_TLSDESC"),
            Map.entry(1032, "R_AARCH64_IRELATIVE")
    );

    private static final Map<Integer, String> RISCV = Map.ofEntries(
            Map.entry(0, "R_RISCV_NONE"),
            Map.entry(1, "R_RISCV_32"),
            Map.entry(2, "R_RISCV_64"),
            Map.entry(3, "R_RISCV_RELATIVE"),
            Map.entry(4, "R_RISCV_COPY"),
            Map.entry(5, "R_RISCV_JUMP_SLOT"),
            Map.entry(6, "R_RISCV_TLS_DTPMOD32"),
            Map.entry(7, "R_RISCV_TLS_DTPMOD64"),
            Map.entry(8, "R_RISCV_TLS_DTPREL32"),
            Map.entry(9, "R_RISCV_TLS_DTPREL64"),
            Map.entry(10, "R_RISCV_TLS_TPREL32"),
            Map.entry(11, "R_RISCV_TLS_TPREL64"),
            Map.entry(16, "R_RISCV_BRANCH"),
            Map.entry(17, "R_RISCV_JAL"),
            Map.entry(18, "R_RISCV_CALL"),
            Map.entry(19, "R_RISCV_CALL_PLT"),
            Map.entry(20, "R_RISCV_GOT_HI20"),
            Map.entry(21, "R_RISCV_TLS_GOT_HI20"),
            Map.entry(22, "R_RISCV_TLS_GD_HI20"),
            Map.entry(23, "R_RISCV_PCREL_HI20"),
            Map.entry(24, "R_RISCV_PCREL_LO12_I"),
            Map.entry(25, "R_RISCV_PCREL_LO12_S"),
            Map.entry(26, "R_RISCV_HI20"),
            Map.entry(27, "R_RISCV_LO12_I"),
            Map.entry(28, "R_RISCV_LO12_S"),
            Map.entry(29, "R_RISCV_TPREL_HI20"),
            Map.entry(30, "R_RISCV_TPREL_LO12_I"),
            Map.entry(31, "R_RISCV_TPREL_LO12_S"),
            Map.entry(32, "R_RISCV_TPREL_ADD"),
            Map.entry(33, "R_RISCV_ADD8"),
            Map.entry(34, "R_RISCV_ADD16"),
            Map.entry(35, "R_RISCV_ADD32"),
            Map.entry(36, "R_RISCV_ADD64"),
            Map.entry(37, "R_RISCV_SUB8"),
            Map.entry(38, "R_RISCV_SUB16"),
            Map.entry(39, "R_RISCV_SUB32"),
            Map.entry(40, "R_RISCV_SUB64"),
            Map.entry(43, "R_RISCV_ALIGN"),
            Map.entry(44, "R_RISCV_RVC_BRANCH"),
            Map.entry(45, "R_RISCV_RVC_JUMP"),
            Map.entry(46, "R_RISCV_RVC_LUI"),
            Map.entry(47, "R_RISCV_GPREL_I"),
            Map.entry(48, "R_RISCV_GPREL_S"),
            Map.entry(49, "R_RISCV_TPREL_I"),
            Map.entry(50, "R_RISCV_TPREL_S"),
            Map.entry(51, "R_RISCV_RELAX"),
            Map.entry(52, "R_RISCV_SUB6"),
            Map.entry(53, "R_RISCV_SET6"),
            Map.entry(54, "R_RISCV_SET8"),
            Map.entry(55, "R_RISCV_SET16"),
            Map.entry(56, "R_RISCV_SET32"),
            Map.entry(57, "R_RISCV_32_PCREL"),
            Map.entry(58, "R_RISCV_IRELATIVE"),
            Map.entry(59, "R_RISCV_PLT32"),
            Map.entry(60, "R_RISCV_SET_ULEB128"),
            Map.entry(61, "R_RISCV_SUB_ULEB128")
    );

    /**
     * {@return the readelf name of relocation type {@code type} on {@code machine}, if known}
     * @param machine the ELF {@code e_machine}
     * @param type the relocation type ({@code ELF64_R_TYPE} or {@code ELF32_R_TYPE} of {@code r_info})
     */
    public static Optional<String> name(int machine, long type) {
        Map<Integer, String> table = switch (machine) {
            case ElfConstants.EM_X86_64 -> X86_64;
            case ElfConstants.EM_AARCH64 -> AARCH64;
            case ElfConstants.EM_RISCV -> RISCV;
            default -> Map.of();
        };
        if (type < 0 || type > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.ofNullable(table.get((int) type));
    }

    /**
     * {@return the readelf name, or readelf's {@code unrecognized: <hex>} form when unknown}
     * @param machine the ELF {@code e_machine}
     * @param type the relocation type ({@code ELF64_R_TYPE} or {@code ELF32_R_TYPE} of {@code r_info})
     */
    public static String nameOrUnrecognized(int machine, long type) {
        return name(machine, type).orElseGet(() -> "unrecognized: " + Long.toHexString(type));
    }

    /**
     * {@return the type number whose name is {@code name} on {@code machine}, or -1}
     * @param machine the ELF {@code e_machine}
     * @param name a relocation type name as readelf prints it, e.g. {@code R_X86_64_PC32}
     */
    public static int byName(int machine, String name) {
        Map<Integer, String> table = switch (machine) {
            case ElfConstants.EM_X86_64 -> X86_64;
            case ElfConstants.EM_AARCH64 -> AARCH64;
            case ElfConstants.EM_RISCV -> RISCV;
            default -> Map.of();
        };
        for (Map.Entry<Integer, String> e : table.entrySet()) {
            if (e.getValue().equals(name)) {
                return e.getKey();
            }
        }
        return -1;
    }
}
